/** Read-only views of incidents for lists, the summary message and App Home. */
import type { ActionItem, Incident, RoleAssignment, TimelineEntry } from '../domain/incident.js';
import { isOverdue } from '../domain/action-schedule.js';
import { remindee } from './action-items.js';
import type { LinkedIssue } from '../domain/follow-up.js';
import type { PageIncident, PublicStatus } from '../domain/statuspage.js';
import type { Store } from './ports.js';

/** An incident with its current role holders. */
export interface IncidentView {
  incident: Incident;
  roles: RoleAssignment[];
  /** The status page incident and its public status, once something was published. */
  page?: PageIncident | null;
  /** A status page is connected (the summary offers publishing). */
  statuspage?: boolean;
}

/** Open incidents with their role holders, oldest first. */
export async function listOpen(store: Store): Promise<IncidentView[]> {
  const open = await store.incidents.listOpen();
  const roles = await store.roles.currentFor(open.map((i) => i.id));
  return open.map((incident) => ({ incident, roles: roles.filter((r) => r.incidentId === incident.id) }));
}

/** One incident with its role holders. */
export async function viewIncident(store: Store, incidentId: number): Promise<IncidentView | null> {
  const incident = await store.incidents.get(incidentId);
  return incident ? { incident, roles: await store.roles.current(incidentId), page: await store.statuspage.pageIncident(incidentId) } : null;
}

/** The timeline of an incident, oldest first. */
export function timelineOf(store: Store, incidentId: number): Promise<TimelineEntry[]> {
  return store.timeline.list(incidentId);
}

/** The action items of an incident, overdue ones first (by due date), then other open ones, then done ones. */
export async function actionsOf(store: Store, incidentId: number, now: number): Promise<ActionList> {
  const items = await store.actions.list(incidentId);
  const people = new Map((await store.people.many([...new Set(items.map(remindee))])).map((p) => [p.userId, p]));
  const overdue = new Set(items.filter((i) => isOverdue(i, people.get(remindee(i)) ?? null, now)).map((i) => i.seq));
  const rank = (i: ActionItem) => (overdue.has(i.seq) ? 0 : i.status === 'open' ? 1 : 2);
  const sorted = [...items].sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? a.dueDate!.localeCompare(b.dueDate!) : 0) || a.seq - b.seq);
  return { items: sorted, overdue };
}

/** Action items in the order to show them, and which are overdue (by seq). */
export interface ActionList {
  items: ActionItem[];
  overdue: ReadonlySet<number>;
}

/** What the status page form starts from: the public status now and the last internal update. */
export async function statuspageFormOf(store: Store, incidentId: number): Promise<{ current: PublicStatus | null; lastUpdate: string | null }> {
  const [page, updates] = await Promise.all([store.statuspage.pageIncident(incidentId), store.updates.list(incidentId)]);
  return { current: page?.status ?? null, lastUpdate: updates.at(-1)?.text ?? null };
}

/** The GitHub issues of an incident's action items, by action item id. */
export async function issuesOf(store: Store, incidentId: number): Promise<Map<number, LinkedIssue>> {
  return new Map((await store.issues.forIncident(incidentId)).map((i) => [i.actionItemId, i]));
}
