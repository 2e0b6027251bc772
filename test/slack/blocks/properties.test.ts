import { HELP_LINES } from '../../../src/slack/actions/registry.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../../src/app/queries.js';
import type { ChannelNotice } from '../../../src/app/effects.js';
import {
  ROLES, SEVERITIES, STATUSES, TIMELINE_KINDS, type ActionItem, type Incident, type RoleAssignment, type StatusUpdate, type TimelineEntry,
} from '../../../src/domain/incident.js';
import { homeView } from '../../../src/slack/blocks/home.js';
import { actionModal } from '../../../src/slack/actions/add-action.js';
import { DECLARE_INPUT, declareModal, parseDeclareSubmission } from '../../../src/slack/actions/declare-form.js';
import { resolveModal } from '../../../src/slack/actions/resolve.js';
import { roleModal } from '../../../src/slack/actions/role.js';
import { severityModal } from '../../../src/slack/actions/severity.js';
import { parseUpdateSubmission, UPDATE_INPUT, updateModal } from '../../../src/slack/actions/update.js';
import { announcement, channelNotice, declaredReply, directMessage, topicText } from '../../../src/slack/blocks/notices.js';
import {
  actionsReply, declaringReply, errorReply, helpReply, listReply, notInIncidentChannel, rolesReply, timelineReply,
} from '../../../src/slack/blocks/replies.js';
import { summaryMessage } from '../../../src/slack/blocks/summary.js';
import { markupProblems, messageProblems, viewProblems } from './limits.js';

const PIECES = ['<!channel>', '<!here>', '<!everyone>', '<@U1>', '<@U1|bob>', '<#C1>', '<https://evil.example|click>', '&', '&amp;', '&lt;', '<', '>', '>>', '*', '_', '`', '\n', ' ', '😀', '👩‍👩‍👧', 'é', '\u{1F525}', 'db', 'x'];
const HUGE = ['x'.repeat(10_000), '😀'.repeat(5_000), '<!channel>'.repeat(1_000), '&'.repeat(10_000), `${'a'.repeat(2999)}<!here>${'b'.repeat(7000)}`];

/** Hostile user text: short random strings, markup soup, and 10 000-character strings. */
const userText = fc.oneof(
  { arbitrary: fc.fullUnicodeString({ maxLength: 80 }), weight: 3 },
  { arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: 400 }).map((a) => a.join('')), weight: 4 },
  { arbitrary: fc.constantFrom(...HUGE), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom(...HUGE), fc.constantFrom(...PIECES), fc.nat(10_000)).map(([h, p, i]) => h.slice(0, i) + p + h.slice(i)), weight: 2 },
);
const userId = fc.constantFrom('U1', 'U0ABCDEF12', 'W999', 'UX', '<!channel>', 'not an id & <b>');
const time = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

const incidentArb: fc.Arbitrary<Incident> = fc.record({
  id: fc.integer({ min: 1, max: 2 ** 31 }),
  title: userText,
  severity: fc.constantFrom(...SEVERITIES),
  status: fc.constantFrom(...STATUSES),
  summary: userText,
  services: fc.array(userText, { maxLength: 25 }),
  channelId: fc.constantFrom('C0123ABC', 'G0PRIV', null, '<!here>'),
  channelName: maybe(userText),
  channelError: maybe(userText),
  summaryTs: fc.constant(null),
  declaredBy: userId,
  declaredAt: time,
  identifiedAt: maybe(time),
  mitigatingAt: maybe(time),
  monitoringAt: maybe(time),
  resolvedAt: maybe(time),
  closedAt: maybe(time),
  resolution: maybe(userText),
  lastUpdateAt: maybe(time),
  nextUpdateDueAt: maybe(time),
  missedUpdates: fc.nat(50),
  postmortemAt: maybe(time),
});

const rolesArb: fc.Arbitrary<RoleAssignment[]> = fc.array(fc.record({
  incidentId: fc.constant(1), role: fc.constantFrom(...ROLES), userId, assignedBy: userId, assignedAt: time, endedAt: maybe(time),
}), { maxLength: 6 });

const viewArb: fc.Arbitrary<IncidentView> = fc.record({ incident: incidentArb, roles: rolesArb });

const updateArb: fc.Arbitrary<StatusUpdate> = fc.record({
  id: fc.nat(), incidentId: fc.nat(), at: time, author: userId, status: fc.constantFrom(...STATUSES), severity: fc.constantFrom(...SEVERITIES),
  text: userText, nextDueAt: maybe(time),
});

const actionArb: fc.Arbitrary<ActionItem> = fc.record({
  id: fc.nat(), incidentId: fc.nat(), seq: fc.integer({ min: 1, max: 10_000 }), text: userText, owner: maybe(userId),
  dueDate: maybe(fc.oneof(fc.constant('2026-12-01'), userText)), status: fc.constantFrom('open' as const, 'done' as const),
  createdBy: userId, createdAt: time, doneAt: maybe(time),
});

const entryArb: fc.Arbitrary<TimelineEntry> = fc.record({
  id: fc.nat(), incidentId: fc.nat(), at: time, kind: fc.constantFrom(...TIMELINE_KINDS), actor: maybe(userId), text: userText,
  permalink: maybe(fc.constantFrom('https://x.slack.com/archives/C1/p123?thread_ts=1&cid=C1', 'javascript:alert(1)', '<!channel>')),
});

const noticeArb: fc.Arbitrary<ChannelNotice> = fc.oneof(
  fc.record({ type: fc.constant('role_assigned' as const), role: fc.constantFrom(...ROLES), userId, previous: maybe(userId), by: userId }),
  fc.record({ type: fc.constant('severity_changed' as const), from: fc.constantFrom(...SEVERITIES), to: fc.constantFrom(...SEVERITIES), by: userId }),
  fc.record({ type: fc.constant('status_changed' as const), from: fc.constantFrom(...STATUSES), to: fc.constantFrom(...STATUSES), by: userId }),
  fc.record({ type: fc.constant('status_update' as const), updateId: fc.nat() }),
  fc.record({ type: fc.constant('update_reminder' as const), missed: fc.nat(99), comms: maybe(userId), ic: maybe(userId), nextDueAt: time }),
  fc.record({ type: fc.constant('resolved' as const), by: userId, summary: maybe(userText) }),
  fc.record({ type: fc.constant('closed' as const), by: userId }),
  fc.record({ type: fc.constant('action_added' as const), seq: fc.nat(), by: userId }),
  fc.record({ type: fc.constant('action_done' as const), seq: fc.nat(), by: userId }),
  fc.record({ type: fc.constant('snoozed' as const), until: time, by: userId }),
  fc.record({ type: fc.constant('postmortem_reminder' as const) }),
);

const RUNS = { numRuns: 150 };

function expectMessage(msg: { text: string; blocks: unknown[] }): void {
  expect(messageProblems(msg)).toEqual([]);
  expect(markupProblems(msg)).toEqual([]);
}

function expectView(v: unknown): void {
  expect(viewProblems(v)).toEqual([]);
  expect(markupProblems(v)).toEqual([]);
}

describe('the limits checker itself', () => {
  it('flags broken payloads', () => {
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    expect(messageProblems({ text: 'x', blocks: Array.from({ length: 51 }, () => section('x')) })).not.toEqual([]);
    expect(messageProblems({ text: 'x', blocks: [section('x'.repeat(3001))] })).not.toEqual([]);
    expect(messageProblems({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] })).not.toEqual([]);
    expect(messageProblems({ text: 'x', blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }] })).not.toEqual([]);
    expect(messageProblems({ text: 'x', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a'.repeat(256), text: { type: 'plain_text', text: 'x'.repeat(76) } }] }] })).toHaveLength(2);
    expect(viewProblems({ type: 'modal', title: { type: 'plain_text', text: 'x'.repeat(25) }, private_metadata: 'x'.repeat(3001), blocks: Array.from({ length: 101 }, () => section('x')) })).toHaveLength(3);
    expect(markupProblems({ text: 'hi <!channel>', blocks: [] })).not.toEqual([]);
    expect(markupProblems({ text: 'a & b', blocks: [] })).not.toEqual([]);
    expect(markupProblems({ text: 'ok <@U1> <#C1> <!date^1^{time}|1970> &lt;!channel&gt; &amp;', blocks: [] })).toEqual([]);
  });
});

describe('every builder keeps Block Kit limits and never lets user text become markup', () => {
  it('summary message', () => {
    fc.assert(fc.property(viewArb, time, (v, now) => expectMessage(summaryMessage(v, now))), RUNS);
  });

  it('channel notices', () => {
    fc.assert(fc.property(incidentArb, noticeArb, maybe(updateArb), maybe(actionArb), (inc, n, update, action) => {
      expectMessage(channelNotice(inc, n, { ...(update ? { update } : {}), ...(action ? { action } : {}) }));
    }), RUNS);
  });

  it('announcements, direct messages, declared replies and topics', () => {
    fc.assert(fc.property(incidentArb, rolesArb, updateArb, actionArb, userText, fc.constantFrom(...ROLES), fc.nat(99), (inc, roles, update, action, summary, role, missed) => {
      expectMessage(announcement(inc, { type: 'declared' }));
      expectMessage(announcement(inc, { type: 'severity_raised', from: 'SEV3', to: 'SEV1', by: 'U1' }));
      expectMessage(announcement(inc, { type: 'severity_changed', from: 'SEV1', to: 'SEV3', by: 'U1', resolved: true }));
      expectMessage(announcement(inc, { type: 'status_update', updateId: 1 }, { update }));
      expectMessage(announcement(inc, { type: 'resolved', summary }));
      expectMessage(announcement(inc, { type: 'gone_quiet', missed }));
      expectMessage(directMessage(inc, { type: 'role_duties', incidentId: inc.id, role, by: 'U1' }));
      expectMessage(directMessage(inc, { type: 'escalation', incidentId: inc.id, missed }));
      expectMessage(directMessage(inc, { type: 'action_due', incidentId: inc.id, seq: action.seq }, { action }));
      expectMessage(declaredReply(inc));
      expectMessage(declaringReply(inc, true));
      expectMessage(declaringReply(inc, false));
      const topic = topicText(inc, roles);
      expect(topic.length).toBeLessThanOrEqual(250);
      expect(markupProblems({ text: topic, blocks: [] })).toEqual([]);
    }), { numRuns: 80 });
  });

  it('command replies', () => {
    fc.assert(fc.property(fc.array(viewArb, { maxLength: 70 }), time, userText, fc.option(userText, { nil: undefined }), (views, now, message, usage) => {
      expectMessage(listReply(views, now));
      expectMessage(errorReply(message, usage));
      if (views[0]) expectMessage(rolesReply(views[0]));
    }), { numRuns: 60 });
    expectMessage(helpReply(HELP_LINES));
    expectMessage(notInIncidentChannel());
  });

  it('timeline and action item replies', () => {
    fc.assert(fc.property(incidentArb, fc.array(entryArb, { maxLength: 150 }), fc.array(actionArb, { maxLength: 70 }), (inc, entries, items) => {
      expectMessage(timelineReply(inc, entries));
      expectMessage(actionsReply(inc, items));
    }), { numRuns: 40 });
  });

  it('modals and the Home tab', () => {
    fc.assert(fc.property(incidentArb, userText, userText, fc.array(viewArb, { maxLength: 120 }), time, (inc, title, summary, views, now) => {
      expectView(declareModal({ title, summary }));
      expectView(updateModal(inc));
      expectView(roleModal(inc.id));
      expectView(severityModal(inc));
      expectView(actionModal(inc.id));
      expectView(resolveModal(inc.id));
      expectView(homeView(views, now));
    }), { numRuns: 40 });
  });
});

describe('submission parsers never throw and keep their promises', () => {
  const input = (ids: { block: string; action: string }, value: string | null) => ({ [ids.block]: { [ids.action]: { type: 'plain_text_input', value } } });
  it('declare', () => {
    fc.assert(fc.property(maybe(userText), maybe(userText), maybe(userText), fc.constantFrom('SEV1', 'SEV4', 'sev2', ''), (title, summary, services, sev) => {
      const r = parseDeclareSubmission({
        ...input(DECLARE_INPUT.title, title), ...input(DECLARE_INPUT.summary, summary), ...input(DECLARE_INPUT.services, services),
        [DECLARE_INPUT.severity.block]: { [DECLARE_INPUT.severity.action]: { type: 'static_select', selected_option: sev ? { value: sev } : null } },
      });
      if (r.ok) {
        expect(r.title.trim()).not.toBe('');
        expect(r.title.length).toBeLessThanOrEqual(200);
        expect(r.services.length).toBeLessThanOrEqual(20);
        expect(new Set(r.services.map((s) => s.toLowerCase())).size).toBe(r.services.length);
        for (const s of r.services) expect(s.length > 0 && s.length <= 80 && s === s.trim() && !s.includes(',')).toBe(true);
      } else {
        expect(Object.keys(r.errors).length).toBeGreaterThan(0);
      }
    }), RUNS);
  });

  it('update', () => {
    fc.assert(fc.property(maybe(userText), maybe(userText), (known, doing) => {
      const r = parseUpdateSubmission({
        ...input(UPDATE_INPUT.known, known), ...input(UPDATE_INPUT.doing, doing),
        [UPDATE_INPUT.status.block]: { [UPDATE_INPUT.status.action]: { type: 'static_select', selected_option: { value: 'identified' } } },
      });
      if (r.ok) expect(r.text).toContain(known!.trim());
      else expect(Object.keys(r.errors).length).toBeGreaterThan(0);
    }), RUNS);
  });
});
