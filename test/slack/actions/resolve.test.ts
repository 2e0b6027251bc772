import { describe, expect, it } from 'vitest';
import { parseResolveSubmission, RESOLVE_INPUT as INPUT, RESOLVE_VIEW, resolveModal } from '../../../src/slack/actions/resolve.js';
import { viewProblems } from '../blocks/limits.js';
import { txt } from './submission.js';

describe('the resolve form', () => {
  it('resolve modal: optional summary', () => {
    const v = resolveModal(42);
    expect(viewProblems(v)).toEqual([]);
    expect(v.callback_id).toBe(RESOLVE_VIEW);
    expect(parseResolveSubmission(txt(INPUT.summary, ' rolled back '))).toEqual({ ok: true, summary: 'rolled back' });
    expect(parseResolveSubmission({})).toEqual({ ok: true, summary: null });
  });
});
