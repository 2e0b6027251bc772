import { describe, expect, it } from 'vitest';
import { announcement, channelNotice, declaredReply, directMessage, NOBODY_TO_REMIND, topicText } from '../../../src/slack/blocks/notices.js';
import { ACTION } from '../../../src/slack/ids.js';
import { actionItem, HOUR, incident, MIN, role, T0, update } from './fixtures.js';
import { allText, markupProblems, messageProblems } from './limits.js';

const inc = incident();
const ok = (msg: { text: string; blocks: unknown[] }) => {
  expect(messageProblems(msg)).toEqual([]);
  expect(markupProblems(msg)).toEqual([]);
  return allText(msg);
};

describe('channelNotice', () => {
  it('a reassignment names both people and who assigned', () => {
    const text = ok(channelNotice(inc, { type: 'role_assigned', role: 'ic', userId: 'UNEW', previous: 'UOLD', by: 'UBY' }));
    expect(text).toContain('Incident Commander: <@UOLD> → <@UNEW>, assigned by <@UBY>');
  });

  it('a first assignment names the new holder', () => {
    const text = ok(channelNotice(inc, { type: 'role_assigned', role: 'comms', userId: 'UNEW', previous: null, by: 'UBY' }));
    expect(text).toContain('<@UNEW> is now the *Communications Lead*, assigned by <@UBY>');
    expect(text).not.toContain('→');
  });

  it('severity and status changes name both values and who', () => {
    expect(ok(channelNotice(inc, { type: 'severity_changed', from: 'SEV3', to: 'SEV1', by: 'UBY' }))).toMatch(/raised: \*SEV3 → SEV1\*, changed by <@UBY>[\s\S]*Next update due <!date/);
    expect(ok(channelNotice(inc, { type: 'severity_changed', from: 'SEV1', to: 'SEV3', by: 'UBY' }))).toContain('lowered');
    expect(ok(channelNotice(inc, { type: 'status_changed', from: 'investigating', to: 'identified', by: 'UBY' }))).toContain('*Investigating → Identified*, changed by <@UBY>');
  });

  it('a status update shows status, severity, the text, the author and the next due time', () => {
    const u = update({ text: 'Rolled back <!here>, thanks <@U0BOB|bob>' });
    const text = ok(channelNotice(inc, { type: 'status_update', updateId: 7 }, { update: u }));
    expect(text).toContain('*SEV2*');
    expect(text).toContain('Identified');
    expect(text).toContain('Rolled back `@here`, thanks <@U0BOB>');
    expect(text).toContain('Posted by <@UCOMMS>');
    expect(text).toContain(`next update due <!date^${Math.floor(u.nextDueAt! / 1000)}^`);
    expect(text).not.toContain('<!here>');
  });

  it('an update reminder mentions comms and IC, how many were missed and when the next is due', () => {
    const text = ok(channelNotice(inc, { type: 'update_reminder', missed: 2, comms: 'UCOMMS', ic: 'UIC', nextDueAt: T0 + HOUR }));
    expect(text).toContain('<@UCOMMS> <@UIC>');
    expect(text).toContain('2 updates missed in a row');
    expect(text).toContain('`/incident update &lt;text&gt;`');
    expect(text).toContain(`Next update due <!date^${Math.floor((T0 + HOUR) / 1000)}^`);
  });

  it('an update reminder mentions one person once when they hold both roles', () => {
    const text = ok(channelNotice(inc, { type: 'update_reminder', missed: 1, comms: 'UX', ic: 'UX', nextDueAt: T0 }));
    expect(text.match(/<@UX>/g)?.length).toBe(2); // block + fallback text
    expect(text).toContain('1 update missed');
  });

  it('an update reminder with nobody to remind says so plainly', () => {
    const text = ok(channelNotice(inc, { type: 'update_reminder', missed: 1, comms: null, ic: null, nextDueAt: T0 }));
    expect(text).toContain(NOBODY_TO_REMIND);
    expect(NOBODY_TO_REMIND).toBe('Nobody holds the Communications Lead or Incident Commander role — assign them with `/incident role`');
    expect(text).not.toMatch(/<@/);
  });

  it('resolved, closed, snoozed and the postmortem reminder', () => {
    const resolved = incident({ status: 'resolved', resolvedAt: T0 + 2 * HOUR });
    expect(ok(channelNotice(resolved, { type: 'resolved', by: 'UBY', summary: 'Rolled back' }))).toMatch(/INC-42 resolved\* by <@UBY> after 2h[\s\S]*Rolled back[\s\S]*\/incident postmortem/);
    expect(ok(channelNotice(resolved, { type: 'closed', by: 'UBY' }))).toMatch(/closed\* by <@UBY>.*archived/);
    expect(ok(channelNotice(inc, { type: 'snoozed', until: T0 + HOUR, by: 'UBY' }))).toContain(`until <!date^${Math.floor((T0 + HOUR) / 1000)}^`);
    expect(ok(channelNotice(resolved, { type: 'postmortem_reminder' }))).toContain('`/incident postmortem`');
  });

  it('action items are referred to as A-n; a new open item has a Mark done button', () => {
    const added = channelNotice(inc, { type: 'action_added', seq: 3, by: 'UBY' }, { action: actionItem() });
    const text = ok(added);
    expect(text).toContain('*A-3*');
    expect(text).toContain('Add an alert');
    expect(text).toContain('<@UOWNER>');
    expect(text).toContain('2026-12-01');
    expect(JSON.stringify(added.blocks)).toContain(`"action_id":"${ACTION.actionDone}","value":"42:3"`);
    expect(ok(channelNotice(inc, { type: 'action_done', seq: 3, by: 'UBY' }, { action: actionItem({ status: 'done' }) }))).toContain('*A-3* marked done by <@UBY>');
  });
});

describe('announcement', () => {
  it('declared: severity, title, channel link and who declared', () => {
    const text = ok(announcement(inc, { type: 'declared' }));
    expect(text).toContain('SEV2 incident declared: INC-42');
    expect(text).toContain('Checkout errors');
    expect(text).toContain('<#C0INC42>');
    expect(text).toContain('declared by <@UDECL>');
  });

  it('every announcement links the channel', () => {
    const msgs = [
      announcement(inc, { type: 'severity_raised', from: 'SEV3', to: 'SEV1', by: 'UBY' }),
      announcement(inc, { type: 'status_update', updateId: 7 }, { update: update() }),
      announcement(incident({ status: 'resolved', resolvedAt: T0 + HOUR }), { type: 'resolved', summary: 'fixed' }),
      announcement(inc, { type: 'gone_quiet', missed: 3 }),
    ];
    for (const m of msgs) expect(ok(m)).toContain('<#C0INC42>');
    expect(allText(msgs[0])).toContain('raised from SEV3 to *SEV1* by <@UBY>');
    expect(allText(msgs[1])).toContain('INC-42 status update');
    expect(allText(msgs[2])).toMatch(/resolved\* \(SEV2, lasted 1h\)[\s\S]*fixed/);
    expect(allText(msgs[3])).toContain('3 status updates missed in a row');
  });

  it('a severity announcement says lowered or raised, and says when the incident is already resolved', () => {
    const lowered = allText(announcement(inc, { type: 'severity_changed', from: 'SEV1', to: 'SEV3', by: 'UBY', resolved: false }));
    expect(lowered).toContain('*INC-42* lowered from SEV1 to *SEV3* by <@UBY>');
    expect(lowered).toContain('follow in <#C0INC42>');
    const late = allText(announcement(inc, { type: 'severity_changed', from: 'SEV3', to: 'SEV1', by: 'UBY', resolved: true }));
    expect(late).toContain('*INC-42* (resolved) raised from SEV3 to *SEV1*');
    expect(late).toContain('already resolved; details in <#C0INC42>');
  });

  it('escapes the title', () => {
    const text = ok(announcement(incident({ title: '<!channel> db down' }), { type: 'declared' }));
    expect(text).toContain('&lt;!channel&gt; db down');
    expect(text).not.toContain('<!channel>');
  });
});

describe('directMessage', () => {
  it('role duties come from the runbook and link the channel', () => {
    const text = ok(directMessage(inc, { type: 'role_duties', incidentId: 42, role: 'tech', by: 'UBY' }));
    expect(text).toContain('*Technical Lead*');
    expect(text).toContain('You lead the technical investigation');
    expect(text).toContain('<#C0INC42>');
  });

  it('escalation says how many were missed and asks for an update', () => {
    const text = ok(directMessage(inc, { type: 'escalation', incidentId: 42, missed: 2 }));
    expect(text).toContain('2 missed status updates in a row');
    expect(text).toContain('Please post one in <#C0INC42>');
  });

  it('action due names the item and the date', () => {
    const text = ok(directMessage(inc, { type: 'action_due', incidentId: 42, seq: 3 }, { action: actionItem() }));
    expect(text).toContain('*A-3*');
    expect(text).toContain('is due today, 2026-12-01');
    expect(text).toContain('Add an alert');
  });
});

describe('declaredReply and topicText', () => {
  it('the declared reply links the channel and names the reference', () => {
    const text = ok(declaredReply(inc));
    expect(text).toContain('*INC-42*');
    expect(text).toContain('<#C0INC42>');
  });

  it('the topic reads SEV · status · IC · title', () => {
    expect(topicText(inc, [role('ic', 'UIC')])).toBe('SEV2 · investigating · IC <@UIC> · Checkout errors');
    expect(topicText(inc, [])).toBe('SEV2 · investigating · no IC yet · Checkout errors');
  });

  it('the topic stays within 250 characters and escapes the title', () => {
    const t = topicText(incident({ title: `<!channel> ${'x'.repeat(1000)}` }), [role('ic', 'UIC')]);
    expect(t.length).toBeLessThanOrEqual(250);
    expect(t).not.toContain('<!channel>');
    expect(t).toContain('<@UIC>');
  });

  it('ended roles do not count', () => {
    expect(topicText(inc, [role('ic', 'UOLD', { endedAt: T0 + MIN })])).toContain('no IC yet');
  });
});
