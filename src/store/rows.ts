/** Maps database rows to domain records. */
import type { ActionItem, Incident, Role, RoleAssignment, Severity, Status, StatusUpdate, TimelineEntry, TimelineKind } from '../domain/incident.js';
import type { LinkedIssue } from '../domain/follow-up.js';
import type { PageIncident, Publication, PublicStatus } from '../domain/statuspage.js';
import type * as schema from './schema.js';

type Row<T extends { $inferSelect: unknown }> = T['$inferSelect'];

/** Incident row → Incident. */
export function toIncident(r: Row<typeof schema.incidents>): Incident {
  return {
    id: r.id, title: r.title, severity: r.severity as Severity, status: r.status as Status, summary: r.summary,
    services: r.services, channelId: r.channelId, channelName: r.channelName, channelError: r.channelError ?? null, summaryTs: r.summaryTs,
    declaredBy: r.declaredBy, declaredAt: r.declaredAt, identifiedAt: r.identifiedAt, mitigatingAt: r.mitigatingAt,
    monitoringAt: r.monitoringAt, resolvedAt: r.resolvedAt, closedAt: r.closedAt, resolution: r.resolution,
    lastUpdateAt: r.lastUpdateAt, nextUpdateDueAt: r.nextUpdateDueAt, missedUpdates: r.missedUpdates, postmortemAt: r.postmortemAt,
  };
}

/** Role assignment row → RoleAssignment. */
export function toRole(r: Row<typeof schema.roleAssignments>): RoleAssignment {
  return { incidentId: r.incidentId, role: r.role as Role, userId: r.userId, assignedBy: r.assignedBy, assignedAt: r.assignedAt, endedAt: r.endedAt };
}

/** Timeline row → TimelineEntry. */
export function toEntry(r: Row<typeof schema.timelineEntries>): TimelineEntry {
  return { id: r.id, incidentId: r.incidentId, at: r.at, kind: r.kind as TimelineKind, actor: r.actor, text: r.text, permalink: r.permalink };
}

/** Status update row → StatusUpdate. */
export function toUpdate(r: Row<typeof schema.statusUpdates>): StatusUpdate {
  return { id: r.id, incidentId: r.incidentId, at: r.at, author: r.author, status: r.status as Status, severity: r.severity as Severity, text: r.text, nextDueAt: r.nextDueAt };
}

/** Action item row → ActionItem. */
export function toAction(r: Row<typeof schema.actionItems>): ActionItem {
  return { id: r.id, incidentId: r.incidentId, seq: r.seq, text: r.text, owner: r.owner, dueDate: r.dueDate, status: r.status as 'open' | 'done', createdBy: r.createdBy, createdAt: r.createdAt, doneAt: r.doneAt };
}

/** Publication row → Publication. */
export function toPublication(r: Row<typeof schema.statuspagePublications>): Publication {
  return { id: r.id, incidentId: r.incidentId, status: r.status as PublicStatus, message: r.message, by: r.by, at: r.at, publishedAt: r.publishedAt };
}

/** Page incident row → PageIncident. */
export function toPageIncident(r: Row<typeof schema.statuspageIncidents>): PageIncident {
  return { incidentId: r.incidentId, pageIncidentId: r.pageIncidentId, shortlink: r.shortlink, status: r.status as PublicStatus, updatedAt: r.updatedAt };
}

/** GitHub issue row → LinkedIssue. */
export function toIssue(r: Row<typeof schema.githubIssues>): LinkedIssue {
  return { actionItemId: r.actionItemId, number: r.number, url: r.url, state: r.state as LinkedIssue['state'] };
}
