/** What a postmortem draft is built from. */
import type { ActionItem, Incident, RoleAssignment, Severity, StatusUpdate, TimelineEntry } from '../incident.js';

/** A severity change as recorded: when, from what, to what, and by whom (null when the bot did it). */
export interface SeverityChange {
  at: number;
  from: Severity;
  to: Severity;
  by: string | null;
}

/** What the related-incident search needs to know about an incident. */
export type RelatedCandidate = Pick<Incident, 'id' | 'title' | 'services' | 'declaredAt'>;

/** An earlier incident as listed under Related Incidents. */
export type RelatedIncident = Pick<Incident, 'id' | 'title' | 'severity' | 'status' | 'declaredAt' | 'services'>;

/** Everything a postmortem draft is built from; collections may come in any order, time comes in as generatedAt. */
export interface PostmortemInput {
  incident: Incident;
  /** Full role history, any order. */
  roles: RoleAssignment[];
  /** Timeline entries, any order. */
  timeline: TimelineEntry[];
  updates: StatusUpdate[];
  actions: ActionItem[];
  severityChanges: SeverityChange[];
  /** Slack user ids. */
  participants: string[];
  /** Earlier incidents, already chosen and ranked (see findRelated). */
  related: RelatedIncident[];
  /** Optional Slack user id → display name; without one a user shows as `@U123`. */
  userNames?: Record<string, string>;
  /** GitHub issue URL of an action item (by action item id), when it has one. */
  issueUrls?: Record<number, string>;
  generatedAt: number;
}
