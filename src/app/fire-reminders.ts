/** The scheduler's use case: claim due reminders and queue what they must say, in one transaction each tick. */
import { escalatesNow, onOverdue } from '../domain/cadence.js';
import { isActive } from '../domain/incident.js';
import { isOverdue } from '../domain/action-schedule.js';
import { planNextActionReminder, remindee, zoneOf } from './action-items.js';
import type { Deps } from './context.js';
import type { Reminder, Repos } from './ports.js';

/** How many reminders one tick handles at most; the rest wait for the next tick. */
export const MAX_PER_TICK = 500;

/** Fires every due reminder once; returns how many fired and hands them to `fired` after the commit. */
export async function fireDueReminders(deps: Deps, fired?: (reminders: Reminder[]) => void): Promise<number> {
  const now = deps.clock();
  const due = await deps.store.transaction(async (tx) => {
    const claimed = await tx.reminders.claimDue(now, MAX_PER_TICK);
    for (const r of claimed) await fire(deps, tx, r, now);
    return claimed;
  });
  if (due.length > 0) fired?.(due);
  return due.length;
}

async function fire(deps: Deps, tx: Repos, r: Reminder, now: number): Promise<void> {
  const incident = await tx.incidents.get(r.incidentId);
  if (!incident) return;
  if (r.kind === 'update') {
    const cadenceMs = deps.policy.cadence[incident.severity];
    if (!isActive(incident.status) || cadenceMs === null) return;
    // After downtime several due times may have passed: one reminder, every missed cycle counted, next due kept on the grid.
    const { missedCycles, nextDueAt } = onOverdue(r.dueAt, cadenceMs, now);
    const missed = incident.missedUpdates + missedCycles;
    await tx.incidents.update(incident.id, { missedUpdates: missed, nextUpdateDueAt: nextDueAt }, now);
    await tx.reminders.schedule(incident.id, 'update', nextDueAt);
    const current = await tx.roles.current(incident.id);
    const ic = current.find((a) => a.role === 'ic')?.userId ?? null;
    const comms = current.find((a) => a.role === 'comms')?.userId ?? null;
    await tx.timeline.add({ incidentId: incident.id, at: now, kind: 'reminder', actor: null, text: `Status update overdue (${missed} missed in a row)` }, now);
    // A reminder still waiting (Slack down) is superseded by this one: after an outage one catch-up goes out, not a burst.
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: incident.id, notice: { type: 'update_reminder', missed, comms, ic, nextDueAt } }, now, { key: `reminder:${r.id}`, coalesceKey: `update_reminder:${incident.id}` });
    await tx.outbox.enqueue({ kind: 'refresh_summary', incidentId: incident.id }, now, { coalesceKey: `summary:${incident.id}` });
    // Escalation happens once per streak of misses, when the count reaches the threshold, not on every later miss.
    if (escalatesNow(incident.missedUpdates, missed, deps.policy.escalateAfterMissed)) {
      if (ic) await tx.outbox.enqueue({ kind: 'dm', userId: ic, message: { type: 'escalation', incidentId: incident.id, missed } }, now, { key: `escalate_dm:${r.id}`, coalesceKey: `escalate_dm:${incident.id}` });
      if (deps.policy.hasAnnounceChannel) await tx.outbox.enqueue({ kind: 'announce', incidentId: incident.id, announcement: { type: 'gone_quiet', missed } }, now, { key: `escalate_announce:${r.id}`, coalesceKey: `gone_quiet:${incident.id}` });
    }
  } else if (r.kind === 'postmortem') {
    if (incident.postmortemAt !== null) return;
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: incident.id, notice: { type: 'postmortem_reminder' } }, now, { key: `reminder:${r.id}` });
  } else if (r.kind === 'action') {
    const item = await tx.actions.byId(r.actionItemId);
    if (!item || item.status === 'done' || !item.dueDate) return;
    const to = remindee(item);
    const overdue = isOverdue(item, await zoneOf(tx, to), now);
    await tx.outbox.enqueue({ kind: 'dm', userId: to, message: { type: 'action_due', incidentId: incident.id, seq: item.seq, overdue } }, now, { key: `reminder:${r.id}` });
    // Weekly while it stays open; marking it done cancels the pending one.
    await planNextActionReminder(tx, item, r.dueAt, now);
  }
}
