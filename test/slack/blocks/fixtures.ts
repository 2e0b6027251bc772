/** Builders of domain records for the Block Kit tests. */
import type { IncidentView } from '../../../src/app/queries.js';
import type { ActionItem, Incident, Role, RoleAssignment, StatusUpdate, TimelineEntry } from '../../../src/domain/incident.js';

/** 2026-11-22 23:01 UTC. */
export const T0 = Date.UTC(2026, 10, 22, 23, 1);
export const MIN = 60_000;
export const HOUR = 60 * MIN;

/** An active SEV2 incident with a channel. */
export function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 42, title: 'Checkout errors', severity: 'SEV2', status: 'investigating', summary: 'Payments fail for some users',
    services: ['checkout', 'payments-api'], channelId: 'C0INC42', channelName: 'inc-42-checkout-errors', channelError: null, summaryTs: '1.2',
    declaredBy: 'UDECL', declaredAt: T0, identifiedAt: null, mitigatingAt: null, monitoringAt: null, resolvedAt: null, closedAt: null,
    resolution: null, lastUpdateAt: null, nextUpdateDueAt: T0 + 30 * MIN, missedUpdates: 0, postmortemAt: null,
    ...over,
  };
}

/** A current role assignment. */
export function role(r: Role, userId: string, over: Partial<RoleAssignment> = {}): RoleAssignment {
  return { incidentId: 42, role: r, userId, assignedBy: 'UBOSS', assignedAt: T0 + MIN, endedAt: null, ...over };
}

/** An incident view. */
export function view(inc: Partial<Incident> = {}, roles: RoleAssignment[] = []): IncidentView {
  return { incident: incident(inc), roles };
}

/** A status update. */
export function update(over: Partial<StatusUpdate> = {}): StatusUpdate {
  return { id: 7, incidentId: 42, at: T0 + HOUR, author: 'UCOMMS', status: 'identified', severity: 'SEV2', text: 'Rolled back the deploy', nextDueAt: T0 + HOUR + 30 * MIN, ...over };
}

/** An action item. */
export function actionItem(over: Partial<ActionItem> = {}): ActionItem {
  return { id: 1, incidentId: 42, seq: 3, text: 'Add an alert', owner: 'UOWNER', dueDate: '2026-12-01', status: 'open', createdBy: 'UBOSS', createdAt: T0, doneAt: null, ...over };
}

/** A timeline entry. */
export function entry(i: number, over: Partial<TimelineEntry> = {}): TimelineEntry {
  return { id: i, incidentId: 42, at: T0 + i * MIN, kind: 'log', actor: 'UBOSS', text: `entry ${i}`, permalink: null, ...over };
}
