/** Follow-up action items: added with an optional owner and due date, reminded in the owner's morning, marked done. */
import { actionReminderAt, localDate, nextActionReminder, reminderIndex, type Zone } from '../domain/action-schedule.js';
import type { ActionItem } from '../domain/incident.js';
import type { Person } from '../domain/person.js';
import { type Deps, UserError, claimRequest, mustGet, record } from './context.js';
import { notePeople } from './people.js';
import type { Repos } from './ports.js';
import { setIssueState, trackOnGitHub } from './follow-ups.js';
import { incidentRef } from '../domain/incident.js';

const ACTION_FORM = '/incident action <text> [@owner] [due:YYYY-MM-DD]';

/** Who an item's reminders go to: its owner, else whoever added it. */
export function remindee(item: Pick<ActionItem, 'owner' | 'createdBy'>): string {
  return item.owner ?? item.createdBy;
}

/** The stored zone of a person (null: unknown, treated as UTC). */
export async function zoneOf(tx: Repos, userId: string): Promise<Zone> {
  const p = await tx.people.get(userId);
  return p ? { tz: p.tz, tzOffsetSec: p.tzOffsetSec } : null;
}

/** Adds an action item `A-<n>`; a due date in the past (for the person typing it) is refused; one with a due date is reminded on its morning. */
export async function addAction(deps: Deps, incidentId: number, input: { text: string; ownerId: string | null; dueDate: string | null }, by: string, requestKey?: string): Promise<ActionItem> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await claimRequest(tx, requestKey, now);
    await mustGet(tx, incidentId);
    if (input.dueDate) {
      const byZone = await zoneOf(tx, by);
      const today = localDate(byZone, now);
      if (input.dueDate < today) {
        throw new UserError(`due:${input.dueDate} is in the past: today is ${today}${byZone?.tz ? ` (${byZone.tz})` : ' (UTC)'}. Give today or a later date, e.g. due:${today}.`, ACTION_FORM, 'dueDate');
      }
    }
    const item = await tx.actions.add({ incidentId, text: input.text, owner: input.ownerId, dueDate: input.dueDate, createdBy: by, createdAt: now });
    if (item.dueDate) {
      // The owner's zone may not be known yet; the lookup queued below re-plans the reminder when it is (onPersonFetched).
      await tx.reminders.schedule(incidentId, 'action', nextActionReminder(item.dueDate, await zoneOf(tx, remindee(item)), null), item.id);
    }
    await notePeople(tx, [item.owner], now);
    await record(tx, incidentId, now, 'action', by, `Action A-${item.seq} added: ${item.text}`);
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'action_added', seq: item.seq, by } }, now);
    if (deps.policy.github) await trackOnGitHub(tx, item, now);
    return item;
  });
}

/** Plans the reminder after one that fired at `firedDueAt`: weekly while the item stays open. */
export async function planNextActionReminder(tx: Repos, item: ActionItem, firedDueAt: number, now: number): Promise<void> {
  if (!item.dueDate || item.status === 'done') return;
  const next = nextActionReminder(item.dueDate, await zoneOf(tx, remindee(item)), Math.max(firedDueAt, now));
  await tx.reminders.schedule(item.incidentId, 'action', next, item.id);
}

/** Re-plans a person's pending action reminders in their (newly learned or changed) time zone. */
export async function replanActionReminders(tx: Repos, person: Person): Promise<void> {
  const zone: Zone = { tz: person.tz, tzOffsetSec: person.tzOffsetSec };
  for (const item of await tx.actions.openFor(person.userId)) {
    if (!item.dueDate) continue;
    const pending = await tx.reminders.pending(item.incidentId, 'action', item.id);
    if (!pending) continue;
    const n = reminderIndex(item.dueDate, pending.dueAt);
    const at = actionReminderAt(item.dueDate, zone, n);
    if (at !== pending.dueAt) await tx.reminders.schedule(item.incidentId, 'action', at, item.id);
  }
}

/** Marks `A-<seq>` done (reminders stop); marking a done item again is refused. */
export async function completeAction(deps: Deps, incidentId: number, seq: number, by: string): Promise<ActionItem> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await mustGet(tx, incidentId);
    const item = await tx.actions.get(incidentId, seq);
    if (!item) throw new UserError(`There is no action A-${seq} on ${incidentRef(incidentId)}; \`/incident actions\` lists them.`, '/incident action done A-<n>');
    if (item.status === 'done') throw new UserError(`A-${seq} is already done.`);
    await tx.actions.markDone(item.id, now);
    await tx.reminders.cancel(incidentId, 'action', item.id);
    await record(tx, incidentId, now, 'action_done', by, `Action A-${seq} done: ${item.text}`);
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'action_done', seq, by } }, now);
    if (deps.policy.github) await setIssueState(tx, item, 'closed', now);
    return { ...item, status: 'done', doneAt: now };
  });
}
