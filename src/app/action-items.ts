/** Follow-up action items: added with an optional owner and due date, marked done. */
import type { ActionItem } from '../domain/incident.js';
import { type Deps, UserError, mustGet, record } from './context.js';

/** Start of a YYYY-MM-DD day in UTC: when an action due that day is reminded. */
export function dueDateMs(dueDate: string): number {
  return Date.parse(`${dueDate}T00:00:00Z`);
}

/** Adds an action item `A-<n>`; one with a due date gets a reminder to its owner. */
export async function addAction(deps: Deps, incidentId: number, input: { text: string; ownerId: string | null; dueDate: string | null }, by: string): Promise<ActionItem> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await mustGet(tx, incidentId);
    const item = await tx.actions.add({ incidentId, text: input.text, owner: input.ownerId, dueDate: input.dueDate, createdBy: by, createdAt: now });
    if (item.dueDate) await tx.reminders.schedule(incidentId, 'action', dueDateMs(item.dueDate), item.id);
    await record(tx, incidentId, now, 'action', by, `Action A-${item.seq} added: ${item.text}`);
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'action_added', seq: item.seq, by } }, now);
    return item;
  });
}

/** Marks `A-<seq>` done; marking a done item again is refused. */
export async function completeAction(deps: Deps, incidentId: number, seq: number, by: string): Promise<ActionItem> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await mustGet(tx, incidentId);
    const item = await tx.actions.get(incidentId, seq);
    if (!item) throw new UserError(`There is no action A-${seq} on INC-${incidentId}; \`/incident actions\` lists them.`, '/incident action done A-<n>');
    if (item.status === 'done') throw new UserError(`A-${seq} is already done.`);
    await tx.actions.markDone(item.id, now);
    await tx.reminders.cancel(incidentId, 'action', item.id);
    await record(tx, incidentId, now, 'action_done', by, `Action A-${seq} done: ${item.text}`);
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'action_done', seq, by } }, now);
    return { ...item, status: 'done', doneAt: now };
  });
}
