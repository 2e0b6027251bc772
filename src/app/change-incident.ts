/** Severity and lifecycle changes: severity, status moves, resolve and close. */
import { replanOnSeverityChange } from '../domain/cadence.js';
import { type Incident, type Severity, type Status, isActive, isRaise, incidentRef } from '../domain/incident.js';
import { pageIfDue, resolvePage } from './paging.js';
import { canClose, checkMove } from '../domain/lifecycle.js';
import { type Deps, UserError, assertNotClosed, claimRequest, mustGet, record } from './context.js';
import type { MovableStatus, Repos } from './ports.js';

const STATUS_COLUMN: Partial<Record<Status, keyof Incident>> = {
  identified: 'identifiedAt', mitigating: 'mitigatingAt', monitoring: 'monitoringAt', resolved: 'resolvedAt', closed: 'closedAt',
};

const isMajor = (s: Severity): boolean => s === 'SEV1' || s === 'SEV2';

/**
 * Changes severity. The next update due time is re-planned from the new cadence and the count of missed updates starts
 * again (a cadence of `off` has no misses at all). For an incident that is or ever was SEV1–2, raising and lowering are
 * both announced, saying when the incident is already resolved.
 */
export async function changeSeverity(deps: Deps, incidentId: number, to: Severity, by: string, requestKey?: string): Promise<{ from: Severity }> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await claimRequest(tx, requestKey, now);
    const incident = await mustGet(tx, incidentId);
    assertNotClosed(incident);
    const from = incident.severity;
    if (from === to) throw new UserError(`${incidentRef(incidentId)} is already ${to}.`, '/incident severity <sev1-4>');
    // Misses counted under the old cadence say nothing about the new one: escalation must not carry them over.
    const patch: Partial<Incident> = { severity: to, missedUpdates: 0 };
    if (incident.status !== 'resolved') {
      const due = replanOnSeverityChange(deps.policy.cadence, to, incident.lastUpdateAt ?? incident.declaredAt, now);
      patch.nextUpdateDueAt = due;
      if (due === null) await tx.reminders.cancel(incidentId, 'update');
      else await tx.reminders.schedule(incidentId, 'update', due);
    }
    await tx.incidents.update(incidentId, patch, now);
    await tx.severity.add(incidentId, now, from, to, by);
    await record(tx, incidentId, now, 'severity', by, `Severity changed from ${from} to ${to}`);
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'severity_changed', from, to, by } }, now);
    await tx.outbox.enqueue({ kind: 'set_topic', incidentId }, now, { coalesceKey: `topic:${incidentId}` });
    if (deps.policy.hasAnnounceChannel) {
      const history = await tx.severity.list(incidentId);
      const everMajor = [from, to, ...history.flatMap((c) => [c.from, c.to])].some(isMajor);
      if (everMajor) {
        const resolved = incident.status === 'resolved';
        await tx.outbox.enqueue({ kind: 'announce', incidentId, announcement: { type: 'severity_changed', from, to, by, resolved } }, now);
      }
    }
    if (isRaise(from, to) && isActive(incident.status)) {
      await pageIfDue(tx, deps.policy, { ...incident, severity: to }, now, `raised to ${to}`, by);
    }
    return { from };
  });
}

/** Moves the status along the lifecycle table; resolving goes through resolveIncident. */
export async function changeStatus(deps: Deps, incidentId: number, to: MovableStatus, by: string, requestKey?: string): Promise<{ from: Status }> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await claimRequest(tx, requestKey, now);
    return { from: await changeStatusIn(tx, deps, await mustGet(tx, incidentId), to, by, now) };
  });
}

/** The status change inside a caller's transaction (resolving included), so another use case can take it as one of its steps. */
export async function changeStatusIn(tx: Repos, deps: Deps, incident: Incident, to: MovableStatus, by: string, now: number): Promise<Status> {
  if (to === 'resolved') return resolveIn(tx, deps, incident, null, by, now);
  const incidentId = incident.id;
  const from = await move(tx, incident, to, now);
  await record(tx, incidentId, now, 'status', by, `Status changed from ${from} to ${to}`);
  await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'status_changed', from, to, by } }, now);
  await tx.outbox.enqueue({ kind: 'set_topic', incidentId }, now, { coalesceKey: `topic:${incidentId}` });
  return from;
}

/** Resolves: update reminders stop, the postmortem clock starts. */
export async function resolveIncident(deps: Deps, incidentId: number, summary: string | null, by: string, requestKey?: string): Promise<{ from: Status }> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await claimRequest(tx, requestKey, now);
    return { from: await resolveIn(tx, deps, await mustGet(tx, incidentId), summary, by, now) };
  });
}

async function resolveIn(tx: Repos, deps: Deps, incident: Incident, summary: string | null, by: string, now: number): Promise<Status> {
  const incidentId = incident.id;
  if (incident.status === 'resolved') {
    throw new UserError(`${incidentRef(incidentId)} is already resolved. Next: \`/incident postmortem\` drafts the postmortem, then \`/incident close\` archives the channel.`);
  }
  if (incident.status === 'closed') throw new UserError(`${incidentRef(incidentId)} is already resolved and closed; it can no longer change.`);
  const from = await move(tx, incident, 'resolved', now);
  await tx.incidents.update(incidentId, { resolution: summary, nextUpdateDueAt: null }, now);
  await tx.reminders.cancel(incidentId, 'update');
  if (deps.policy.postmortemDueMs !== null && incident.postmortemAt === null) {
    await tx.reminders.schedule(incidentId, 'postmortem', now + deps.policy.postmortemDueMs);
  }
  await record(tx, incidentId, now, 'resolved', by, summary ? `Resolved: ${summary}` : 'Resolved');
  await resolvePage(tx, deps.policy, incidentId, now, by);
  await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'resolved', by, summary } }, now);
  await tx.outbox.enqueue({ kind: 'set_topic', incidentId }, now, { coalesceKey: `topic:${incidentId}` });
  if (deps.policy.hasAnnounceChannel) await tx.outbox.enqueue({ kind: 'announce', incidentId, announcement: { type: 'resolved', summary } }, now);
  return from;
}

/** Closes a resolved incident and archives its channel; only the IC may, or anyone if there never was one. */
export async function closeIncident(deps: Deps, incidentId: number, by: string): Promise<void> {
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    const incident = await mustGet(tx, incidentId);
    const ic = (await tx.roles.current(incidentId)).find((a) => a.role === 'ic');
    const everHadIc = !!ic || (await tx.roles.everAssigned(incidentId, 'ic'));
    const verdict = canClose(incident.status, { everHadIc, callerIsIc: ic?.userId === by, icUserId: ic?.userId ?? null });
    if (!verdict.ok) throw new UserError(`Cannot close ${incidentRef(incidentId)}: ${verdict.reason}.`, '/incident close');
    await move(tx, incident, 'closed', now);
    await tx.reminders.cancelAll(incidentId);
    await record(tx, incidentId, now, 'closed', by, 'Closed');
    await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'closed', by } }, now);
    await tx.outbox.enqueue({ kind: 'archive', incidentId }, now, { key: `archive:${incidentId}` });
  });
}

async function move(tx: Repos, incident: Incident, to: Status, now: number): Promise<Status> {
  const check = checkMove(incident.status, to);
  if (!check.ok) {
    const allowed = check.allowed.length ? ` Allowed from ${incident.status}: ${check.allowed.join(', ')}.` : '';
    throw new UserError(`Cannot move ${incidentRef(incident.id)} to ${to}: ${check.reason}.${allowed}`, '/incident status <investigating|identified|mitigating|monitoring|resolved>');
  }
  const patch: Partial<Incident> = { status: to };
  const column = STATUS_COLUMN[to];
  if (column && incident[column] === null) (patch as Record<string, unknown>)[column] = now;
  await tx.incidents.update(incident.id, patch, now);
  return incident.status;
}
