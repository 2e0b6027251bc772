import { describe, expect, it } from 'vitest';
import {
  actionModal, declareModal, parseActionSubmission, parseDeclareSubmission, parseResolveSubmission,
  parseRoleSubmission, parseSeveritySubmission, parseUpdateSubmission, resolveModal, roleModal, severityModal, type SubmissionValues,
  updateModal,
} from '../../../src/slack/blocks/modals.js';
import { INPUT, VIEW } from '../../../src/slack/ids.js';
import { incident } from './fixtures.js';
import { allText, markupProblems, viewProblems } from './limits.js';
import { slackToPlain } from '../../../src/domain/postmortem/index.js';

type Ids = { block: string; action: string };
const txt = (ids: Ids, value: string | null): SubmissionValues => ({ [ids.block]: { [ids.action]: { type: 'plain_text_input', value } } });
const sel = (ids: Ids, value: string): SubmissionValues => ({ [ids.block]: { [ids.action]: { type: 'static_select', selected_option: { value } } } });
const merge = (...v: SubmissionValues[]): SubmissionValues => Object.assign({}, ...v);

function inputBlock(view: { blocks: unknown[] }, blockId: string): Record<string, any> {
  const b = view.blocks.find((x) => (x as { block_id?: string }).block_id === blockId);
  if (!b) throw new Error(`no block ${blockId}`);
  return b as Record<string, any>;
}

describe('declareModal', () => {
  it('has the inputs with limits, SEV3 preselected, and the right callback id', () => {
    const v = declareModal({});
    expect(viewProblems(v)).toEqual([]);
    expect(v.callback_id).toBe(VIEW.declare);
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

describe('updateModal', () => {
  it('carries the incident id and preselects the current status', () => {
    const v = updateModal(incident({ status: 'mitigating', title: '<!channel> x' }));
    expect(viewProblems(v)).toEqual([]);
    expect(markupProblems(v)).toEqual([]);
    expect(v.callback_id).toBe(VIEW.update);
    expect(v.private_metadata).toBe('42');
    const status = inputBlock(v, INPUT.updateStatus.block).element;
    expect(status.options.map((o: { value: string }) => o.value)).toEqual(['investigating', 'identified', 'mitigating', 'monitoring']);
    expect(status.initial_option.value).toBe('mitigating');
    expect(inputBlock(v, INPUT.nextIn.block).element.options.map((o: { value: string }) => o.value)).toEqual(['15m', '30m', '1h', '2h', '4h']);
    expect(allText(v)).toContain('&lt;!channel&gt; x');
  });

  it('parses into status, formatted text and next-in', () => {
    expect(parseUpdateSubmission(merge(sel(INPUT.updateStatus, 'identified'), txt(INPUT.known, 'bad deploy'), txt(INPUT.doing, 'rolling back'), sel(INPUT.nextIn, '2h'))))
      .toEqual({ ok: true, status: 'identified', text: 'What we know: bad deploy\nWhat we are doing: rolling back', nextInMs: 2 * 3_600_000 });
    expect(parseUpdateSubmission(merge(sel(INPUT.updateStatus, 'monitoring'), txt(INPUT.known, 'stable'))))
      .toEqual({ ok: true, status: 'monitoring', text: 'What we know: stable', nextInMs: null });
    const bad = parseUpdateSubmission(merge(sel(INPUT.updateStatus, 'closed'), txt(INPUT.known, ' '), sel(INPUT.nextIn, '7m')));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual([INPUT.known.block, INPUT.nextIn.block, INPUT.updateStatus.block].sort());
  });
});

describe('role, severity, action and resolve modals', () => {
  it('role modal: role select and users select; parse', () => {
    const v = roleModal(42, 'comms');
    expect(viewProblems(v)).toEqual([]);
    expect(v.private_metadata).toBe('42');
    expect(inputBlock(v, INPUT.user.block).element.type).toBe('users_select');
    expect(inputBlock(v, INPUT.role.block).element.initial_option.value).toBe('comms');
    expect(parseRoleSubmission(merge(sel(INPUT.role, 'ic'), { [INPUT.user.block]: { [INPUT.user.action]: { type: 'users_select', selected_user: 'U9' } } })))
      .toEqual({ ok: true, role: 'ic', userId: 'U9' });
    const bad = parseRoleSubmission(sel(INPUT.role, 'boss'));
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual([INPUT.role.block, INPUT.user.block].sort());
  });

  it('severity modal starts at the current severity; parse', () => {
    const v = severityModal(incident({ severity: 'SEV1' }));
    expect(viewProblems(v)).toEqual([]);
    expect(inputBlock(v, INPUT.severity.block).element.initial_option.value).toBe('SEV1');
    expect(parseSeveritySubmission(sel(INPUT.severity, 'SEV4'))).toEqual({ ok: true, severity: 'SEV4' });
    expect(parseSeveritySubmission({}).ok).toBe(false);
  });

  it('action modal: optional owner and due date; the date must be YYYY-MM-DD and real', () => {
    const v = actionModal(42);
    expect(viewProblems(v)).toEqual([]);
    expect(inputBlock(v, INPUT.owner.block).optional).toBe(true);
    expect(inputBlock(v, INPUT.due.block).element.type).toBe('datepicker');
    const due = (d: string) => ({ [INPUT.due.block]: { [INPUT.due.action]: { type: 'datepicker', selected_date: d } } });
    expect(parseActionSubmission(merge(txt(INPUT.actionText, ' add alert '), due('2026-03-31'))))
      .toEqual({ ok: true, text: 'add alert', ownerId: null, dueDate: '2026-03-31' });
    expect(parseActionSubmission(merge(txt(INPUT.actionText, 'x'), due('2026-02-30'))).ok).toBe(false);
    expect(parseActionSubmission(merge(txt(INPUT.actionText, 'x'), due('31/03/2026'))).ok).toBe(false);
    expect(parseActionSubmission(txt(INPUT.actionText, ' ')).ok).toBe(false);
  });

  it('resolve modal: optional summary', () => {
    const v = resolveModal(42);
    expect(viewProblems(v)).toEqual([]);
    expect(v.callback_id).toBe(VIEW.resolve);
    expect(parseResolveSubmission(txt(INPUT.resolution, ' rolled back '))).toEqual({ ok: true, summary: 'rolled back' });
    expect(parseResolveSubmission({})).toEqual({ ok: true, summary: null });
  });

  it('modal titles fit 24 characters', () => {
    for (const v of [declareModal(), updateModal(incident()), roleModal(1), severityModal(incident()), actionModal(1), resolveModal(1)]) {
      expect(v.title.text.length).toBeLessThanOrEqual(24);
    }
  });
});

describe('helpers', () => {


  it('message markup is made readable by the same conversion the postmortem uses', () => {
    expect(slackToPlain('<!channel> hi <#C1|general> &amp; <https://a.b> <@U1|bob> <https://c.d|docs>')).toBe('@channel hi #general & https://a.b @bob docs (https://c.d)');
  });
});
