/** Read-only views of incidents for lists, the summary message and App Home. */
import type { ActionItem, Incident, RoleAssignment, TimelineEntry } from '../domain/incident.js';
import type { Store } from './ports.js';

/** An incident with its current role holders. */
export interface IncidentView {
  incident: Incident;
  roles: RoleAssignment[];
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
  return incident ? { incident, roles: await store.roles.current(incidentId) } : null;
}

/** The timeline of an incident, oldest first. */
export function timelineOf(store: Store, incidentId: number): Promise<TimelineEntry[]> {
  return store.timeline.list(incidentId);
}

/** The action items of an incident. */
export function actionsOf(store: Store, incidentId: number): Promise<ActionItem[]> {
  return store.actions.list(incidentId);
}
