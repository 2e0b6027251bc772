import { describe, expect, it } from 'vitest';
import { summaryMessage } from '../../../src/slack/blocks/summary.js';
import { ACTION } from '../../../src/slack/ids.js';
import { HOUR, MIN, T0, role, view } from './fixtures.js';
import { allText, markupProblems, messageProblems } from './limits.js';

function buttons(msg: { blocks: unknown[] }): { action_id: string; value: string; style?: string; text: { text: string } }[] {
  return msg.blocks.flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: never[] }).elements : []));
}

describe('summaryMessage', () => {
  it('shows reference, title, severity, status, age, roles and the update clock', () => {
    const msg = summaryMessage(view({ lastUpdateAt: T0 + HOUR }, [role('ic', 'UIC'), role('comms', 'UCOMMS')]), T0 + HOUR + 20 * MIN);
    const header = msg.blocks[0] as { type: string; text: { text: string } };
    expect(header.type).toBe('header');
    expect(header.text.text).toBe('INC-42: Checkout errors');
    const text = allText(msg);
    expect(text).toContain('*SEV2*');
    expect(text).toContain('*Investigating*');
    expect(text).toMatch(/declared <!date\^\d+\^\{date_short_pretty\} \{time\}\|2026-11-22 23:01 UTC> · 1h 20m ago/);
    expect(text).toContain('*Incident Commander:* <@UIC>');
    expect(text).toContain('*Communications Lead:* <@UCOMMS>');
    expect(text).toContain('*Technical Lead:* _unassigned_');
    expect(text).toContain('Payments fail for some users');
    expect(text).toContain('checkout, payments-api');
    expect(text).toContain('Last update: <!date^');
    expect(text).toContain(`Next update due <!date^${Math.floor((T0 + 30 * MIN) / 1000)}^`);
    expect(msg.text).toContain('INC-42');
    expect(messageProblems(msg)).toEqual([]);
    expect(markupProblems(msg)).toEqual([]);
  });

  it('says plainly when nobody is Incident Commander', () => {
    const text = allText(summaryMessage(view(), T0));
    expect(text).toContain('*No Incident Commander yet* — take it with `/incident role ic @you`');
    expect(text).not.toContain('*Incident Commander:*');
  });

  it('escapes user text: a title cannot ping the channel', () => {
    const msg = summaryMessage(view({ title: '<!channel> db down', summary: 'see <https://x|y> & <@U1|bob> <!here> <script>' }), T0);
    const json = JSON.stringify(msg);
    expect(json).not.toContain('<!channel>');
    expect((msg.blocks[0] as { text: { text: string } }).text.text).toBe('INC-42: &lt;!channel&gt; db down');
    // The summary keeps what was typed: mentions and links stay live, a broadcast ping is defused, other markup escaped.
    expect(allText(msg)).toContain('see <https://x|y> &amp; <@U1> `@here` &lt;script&gt;');
    expect(markupProblems(msg)).toEqual([]);
  });

  it('has buttons for the common actions carrying the incident id; Resolve is danger', () => {
    const b = buttons(summaryMessage(view(), T0));
    expect(b.map((x) => x.action_id)).toEqual([ACTION.assignRole, ACTION.changeSeverity, ACTION.postUpdate, ACTION.addAction, ACTION.resolve]);
    expect(b.every((x) => x.value === '42')).toBe(true);
    expect(b.find((x) => x.action_id === ACTION.resolve)?.style).toBe('danger');
  });

  it('after resolution: no Resolve, a Postmortem button, and no update due', () => {
    const msg = summaryMessage(view({ status: 'resolved', resolvedAt: T0 + 2 * HOUR, nextUpdateDueAt: null, resolution: 'Rolled back' }), T0 + 3 * HOUR);
    const ids = buttons(msg).map((x) => x.action_id);
    expect(ids).not.toContain(ACTION.resolve);
    expect(ids).toContain(ACTION.postmortem);
    const text = allText(msg);
    expect(text).toMatch(/Resolved/);
    expect(text).not.toContain('Next update due');
    expect(text).toContain('after 2h');
    expect(text).toContain('Rolled back');
  });

  it('closed: no Post update, no Resolve', () => {
    const ids = buttons(summaryMessage(view({ status: 'closed', resolvedAt: T0 + HOUR, closedAt: T0 + 2 * HOUR, nextUpdateDueAt: null }), T0)).map((x) => x.action_id);
    expect(ids).not.toContain(ACTION.postUpdate);
    expect(ids).not.toContain(ACTION.resolve);
    expect(ids).toContain(ACTION.postmortem);
  });

  it('says reminders are off when no update is due', () => {
    expect(allText(summaryMessage(view({ severity: 'SEV4', nextUpdateDueAt: null }), T0))).toMatch(/reminders off/);
  });

  it('counts missed updates', () => {
    expect(allText(summaryMessage(view({ missedUpdates: 2 }), T0))).toContain('2 updates missed in a row');
  });

  it('keeps the header within 150 characters for long titles', () => {
    const msg = summaryMessage(view({ title: '&'.repeat(500) }), T0);
    const h = (msg.blocks[0] as { text: { text: string } }).text.text;
    expect(h.length).toBeLessThanOrEqual(150);
    expect(h.endsWith('…')).toBe(true);
    expect(markupProblems(msg)).toEqual([]);
  });
});
