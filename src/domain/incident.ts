/** Core incident vocabulary: severities, statuses, roles and the records the bot keeps. Times are epoch milliseconds, UTC. */

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
/** Incident severity, SEV1 is the worst. */
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['investigating', 'identified', 'mitigating', 'monitoring', 'resolved', 'closed'] as const;
/** Lifecycle status of an incident. */
export type Status = (typeof STATUSES)[number];

export const ROLES = ['ic', 'tech', 'comms'] as const;
/** Response roles: Incident Commander, Technical Lead, Communications Lead. */
export type Role = (typeof ROLES)[number];

/** Human names of the roles. */
export const ROLE_NAMES: Record<Role, string> = {
  ic: 'Incident Commander',
  tech: 'Technical Lead',
  comms: 'Communications Lead',
};

/** What each role is expected to do, from the runbook. */
export const ROLE_DUTIES: Record<Role, string> = {
  ic: 'You coordinate the response and make the decisions: keep people on task, decide on mitigations, and make sure updates go out on time.',
  tech: 'You lead the technical investigation: form hypotheses, direct debugging, and propose and apply fixes.',
  comms: 'You own communication with stakeholders: post status updates on cadence and keep the announce channel informed.',
};

/** Human descriptions of the severities. */
export const SEVERITY_DESCRIPTIONS: Record<Severity, string> = {
  SEV1: 'Critical: complete outage or data loss, all hands',
  SEV2: 'Major: significant degradation for many customers',
  SEV3: 'Minor: limited impact, workaround exists',
  SEV4: 'Low: cosmetic or no customer impact',
};

/** An incident as the bot knows it. */
export interface Incident {
  id: number;
  title: string;
  severity: Severity;
  status: Status;
  summary: string;
  services: string[];
  channelId: string | null;
  channelName: string | null;
  /** Why Slack refused to create the channel (its error code); null when it exists or is still being made. */
  channelError: string | null;
  summaryTs: string | null;
  declaredBy: string;
  declaredAt: number;
  identifiedAt: number | null;
  mitigatingAt: number | null;
  monitoringAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  resolution: string | null;
  lastUpdateAt: number | null;
  nextUpdateDueAt: number | null;
  missedUpdates: number;
  postmortemAt: number | null;
}

/** A role held (or formerly held) by someone. endedAt null means current. */
export interface RoleAssignment {
  incidentId: number;
  role: Role;
  userId: string;
  assignedBy: string;
  assignedAt: number;
  endedAt: number | null;
}

export const TIMELINE_KINDS = [
  'declared', 'role', 'severity', 'status', 'update', 'action', 'action_done', 'resolved', 'closed', 'log', 'message', 'reminder', 'postmortem', 'alert', 'page', 'statuspage',
] as const;
/** What a timeline entry records. */
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One entry of the incident timeline. */
export interface TimelineEntry {
  id: number;
  incidentId: number;
  at: number;
  kind: TimelineKind;
  actor: string | null;
  text: string;
  permalink: string | null;
}

/** A posted status update. */
export interface StatusUpdate {
  id: number;
  incidentId: number;
  at: number;
  author: string;
  status: Status;
  severity: Severity;
  text: string;
  nextDueAt: number | null;
}

/** A follow-up action item, A-<seq> within its incident. */
export interface ActionItem {
  id: number;
  incidentId: number;
  seq: number;
  text: string;
  owner: string | null;
  dueDate: string | null; // YYYY-MM-DD
  status: 'open' | 'done';
  createdBy: string;
  createdAt: number;
  doneAt: number | null;
}

/** Position of a severity, most severe first (an unknown value sorts last). */
export function severityRank(s: Severity): number {
  const i = SEVERITIES.indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
}

/** Whether going from `from` to `to` raises the severity (SEV3 → SEV1 does). */
export function isRaise(from: Severity, to: Severity): boolean {
  return severityRank(to) < severityRank(from);
}

/** `INC-<n>` reference of an incident id. */
export function incidentRef(id: number): string {
  return `INC-${id}`;
}

/** `A-<n>` reference of an action item. */
export function actionRef(seq: number): string {
  return `A-${seq}`;
}

/** Whether an incident still needs a response (not resolved or closed). */
export function isActive(status: Status): boolean {
  return status !== 'resolved' && status !== 'closed';
}
