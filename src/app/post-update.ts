/** Status updates: posted in the channel (and announced for SEV1–2); posting resets the update clock. */
import { firstDue } from '../domain/cadence.js';
import type { StatusUpdate } from '../domain/incident.js';
import { isActive, incidentRef } from '../domain/incident.js';
import { changeStatusIn } from './change-incident.js';
import { type Deps, UserError, claimRequest, mustGet, record } from './context.js';
import type { MovableStatus } from './ports.js';

/** What a status update says: its text, optionally a new status, and optionally when the next one is due (else the cadence). */
export interface UpdateInput {
  text: string;
  /** Moves the status first when it differs from the current one (the update modal asks for it). */
  status?: MovableStatus | null;
  nextInMs?: number | null;
}

/**
 * Posts a status update, moving the status first when asked, in one transaction: a refused update (closed incident) or a
 * refused move leaves nothing behind, and a repeat of the same request acts once.
 */
export async function postUpdate(deps: Deps, incidentId: number, input: UpdateInput, by: string, requestKey?: string): Promise<StatusUpdate> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await claimRequest(tx, requestKey, now);
    let incident = await mustGet(tx, incidentId);
    if (incident.status === 'closed') throw new UserError(`${incidentRef(incidentId)} is closed; post follow-ups in the postmortem instead.`);
    if (input.status && input.status !== incident.status) {
      await changeStatusIn(tx, deps, incident, input.status, by, now);
      incident = await mustGet(tx, incidentId);
    }
    const { text, nextInMs } = input;
    const nextDueAt = isActive(incident.status) ? (nextInMs ? now + nextInMs : firstDue(deps.policy.cadence, incident.severity, now)) : null;
    const update = await tx.updates.add({ incidentId, at: now, author: by, status: incident.status, severity: incident.severity, text, nextDueAt });
    await tx.incidents.update(incidentId, { lastUpdateAt: now, nextUpdateDueAt: nextDueAt, missedUpdates: 0 }, now);
    if (nextDueAt !== null) await tx.reminders.schedule(incidentId, 'update', nextDueAt);
    else await tx.reminders.cancel(incidentId, 'update');
    await record(tx, incidentId, now, 'update', by, text);
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'status_update', updateId: update.id } }, now);
    if (deps.policy.hasAnnounceChannel && (incident.severity === 'SEV1' || incident.severity === 'SEV2')) {
      await tx.outbox.enqueue({ kind: 'announce', incidentId, announcement: { type: 'status_update', updateId: update.id } }, now);
    }
    return update;
  });
}

/** Postpones the next update reminder by `durationMs` from now. */
export async function snooze(deps: Deps, incidentId: number, durationMs: number, by: string): Promise<number> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const incident = await mustGet(tx, incidentId);
    if (!isActive(incident.status)) throw new UserError(`${incidentRef(incidentId)} is ${incident.status}; there are no update reminders to snooze.`);
    if (deps.policy.cadence[incident.severity] === null) throw new UserError(`Update reminders are off for ${incident.severity}; nothing to snooze.`);
    const until = now + durationMs;
    await tx.reminders.schedule(incidentId, 'update', until);
    await tx.incidents.update(incidentId, { nextUpdateDueAt: until }, now);
    await record(tx, incidentId, now, 'reminder', by, `Update reminders snoozed until ${new Date(until).toISOString()}`);
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'snoozed', until, by } }, now);
    return until;
  });
}
