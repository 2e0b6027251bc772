/** Assigning a response role: invite, announce in the channel, and tell the person what the role expects. */
import { ROLE_NAMES, type Role } from '../domain/incident.js';
import { type Deps, assertNotClosed, claimRequest, mustGet, record } from './context.js';

/** Outcome of an assignment, for the reply. */
export interface AssignResult {
  previous: string | null;
  unchanged: boolean;
}

/** Assigns `role` on an incident to `userId`; one person may hold several roles. */
export async function assignRole(deps: Deps, incidentId: number, role: Role, userId: string, by: string, requestKey?: string): Promise<AssignResult> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await claimRequest(tx, requestKey, now);
    const incident = await mustGet(tx, incidentId);
    assertNotClosed(incident);
    const holder = (await tx.roles.current(incidentId)).find((a) => a.role === role);
    if (holder?.userId === userId) return { previous: userId, unchanged: true };
    const previous = await tx.roles.assign(incidentId, role, userId, by, now);
    const text = previous
      ? `${ROLE_NAMES[role]} reassigned from <@${previous}> to <@${userId}>`
      : `<@${userId}> is now ${ROLE_NAMES[role]}`;
    await record(tx, incidentId, now, 'role', by, text);
    await tx.outbox.enqueue({ kind: 'invite', incidentId, userIds: [userId] }, now);
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'role_assigned', role, userId, previous, by } }, now);
    await tx.outbox.enqueue({ kind: 'dm', userId, message: { type: 'role_duties', incidentId, role, by } }, now);
    return { previous, unchanged: false };
  });
}
