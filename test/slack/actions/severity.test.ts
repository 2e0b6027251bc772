import { describe, expect, it } from 'vitest';
import { parseSeveritySubmission, SEVERITY_INPUT as INPUT, severityModal } from '../../../src/slack/actions/severity.js';
import { incident } from '../blocks/fixtures.js';
import { viewProblems } from '../blocks/limits.js';
import { inputBlock, sel } from './submission.js';

describe('the change-severity form', () => {
  it('severity modal starts at the current severity; parse', () => {
    const v = severityModal(incident({ severity: 'SEV1' }));
    expect(viewProblems(v)).toEqual([]);
    expect(inputBlock(v, INPUT.severity.block).element.initial_option.value).toBe('SEV1');
    expect(parseSeveritySubmission(sel(INPUT.severity, 'SEV4'))).toEqual({ ok: true, severity: 'SEV4' });
    expect(parseSeveritySubmission({}).ok).toBe(false);
  });
});
