import { describe, expect, it } from 'vitest';
import { slackToPlain } from '../../../src/domain/postmortem/index.js';
import { DECLARE_INPUT as INPUT, DECLARE_VIEW, declareModal, parseDeclareSubmission } from '../../../src/slack/actions/declare-form.js';
import { viewProblems } from '../blocks/limits.js';
import { inputBlock, merge, sel, txt } from './submission.js';

describe('declareModal', () => {
  it('has the inputs with limits, SEV3 preselected, and the right callback id', () => {
    const v = declareModal({});
    expect(viewProblems(v)).toEqual([]);
    expect(v.callback_id).toBe(DECLARE_VIEW);
    expect(inputBlock(v, INPUT.title.block).element.max_length).toBe(200);
    expect(inputBlock(v, INPUT.title.block).optional).toBeUndefined();
    const sev = inputBlock(v, INPUT.severity.block).element;
    expect(sev.type).toBe('static_select');
    expect(sev.initial_option.value).toBe('SEV3');
    expect(sev.options.map((o: { value: string }) => o.value)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(sev.options[0].description.text).toMatch(/Critical/);
    const summary = inputBlock(v, INPUT.summary.block);
    expect(summary.optional).toBe(true);
    expect(summary.element.multiline).toBe(true);
    expect(summary.element.max_length).toBe(3000);
    expect(inputBlock(v, INPUT.services.block).element.placeholder.text).toContain('comma-separated');
  });

  it('prefills from a message, readable and within max length', () => {
    const v = declareModal({ summary: `<!here> <@U1|alice> said &lt;b&gt; at <https://x.io|x> ${'y'.repeat(5000)}` });
    expect(viewProblems(v)).toEqual([]);
    const initial: string = inputBlock(v, INPUT.summary.block).element.initial_value;
    expect(initial.startsWith('@here @alice said <b> at x (https://x.io)')).toBe(true);
    expect(initial.length).toBeLessThanOrEqual(3000);
  });

  it('message markup is made readable by the same conversion the postmortem uses', () => {
    expect(slackToPlain('<!channel> hi <#C1|general> &amp; <https://a.b> <@U1|bob> <https://c.d|docs>')).toBe('@channel hi #general & https://a.b @bob docs (https://c.d)');
  });
});

describe('parseDeclareSubmission', () => {
  it('parses a valid submission; services are split, trimmed and deduplicated', () => {
    const r = parseDeclareSubmission(merge(
      txt(INPUT.title, '  DB down  '), sel(INPUT.severity, 'SEV1'), txt(INPUT.summary, ' all writes fail '),
      txt(INPUT.services, ' api, db ,, API,\nworker '),
    ));
    expect(r).toEqual({ ok: true, title: 'DB down', severity: 'SEV1', summary: 'all writes fail', services: ['api', 'db', 'worker'] });
  });

  it('requires a non-blank title; empty optional fields are fine', () => {
    expect(parseDeclareSubmission(merge(txt(INPUT.title, '   '), sel(INPUT.severity, 'SEV3')))).toEqual({ ok: false, errors: { [INPUT.title.block]: expect.stringMatching(/title/) } });
    expect(parseDeclareSubmission(merge(txt(INPUT.title, 'x'), sel(INPUT.severity, 'SEV3'), txt(INPUT.services, null)))).toMatchObject({ ok: true, services: [], summary: '' });
  });

  it('refuses long service names, too many services and unknown severities', () => {
    const long = parseDeclareSubmission(merge(txt(INPUT.title, 'x'), sel(INPUT.severity, 'SEV3'), txt(INPUT.services, `a, ${'b'.repeat(81)}`)));
    expect(long.ok).toBe(false);
    expect(!long.ok && long.errors[INPUT.services.block]).toMatch(/80/);
    const many = parseDeclareSubmission(merge(txt(INPUT.title, 'x'), sel(INPUT.severity, 'SEV3'), txt(INPUT.services, Array.from({ length: 21 }, (_, i) => `s${i}`).join(','))));
    expect(!many.ok && many.errors[INPUT.services.block]).toMatch(/20/);
    const twenty = parseDeclareSubmission(merge(txt(INPUT.title, 'x'), sel(INPUT.severity, 'SEV3'), txt(INPUT.services, Array.from({ length: 20 }, (_, i) => `s${i}`).join(','))));
    expect(twenty.ok).toBe(true);
    const sev = parseDeclareSubmission(merge(txt(INPUT.title, 'x'), sel(INPUT.severity, 'SEV9')));
    expect(!sev.ok && sev.errors[INPUT.severity.block]).toBeTruthy();
    expect(parseDeclareSubmission({}).ok).toBe(false);
  });
});
