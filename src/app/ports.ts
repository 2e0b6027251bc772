/** Ports the use cases depend on: the store (with its transaction) and the clock. Adapters live in store/ and slack/. */
import type { ActionItem, Incident, Role, RoleAssignment, Severity, Status, StatusUpdate, TimelineEntry, TimelineKind } from '../domain/incident.js';
import type { Person } from '../domain/person.js';
import type { LinkedIssue } from '../domain/follow-up.js';
import type { PageIncident, Publication, PublicStatus } from '../domain/statuspage.js';
import type { Effect, Target } from './effects.js';

/** Fields needed to create an incident. */
export interface NewIncident {
  title: string;
  severity: Severity;
  summary: string;
  services: string[];
  declaredBy: string;
  declaredAt: number;
  nextUpdateDueAt: number | null;
}

/** Fields of an incident a use case may change. */
export type IncidentPatch = Partial<Omit<Incident, 'id' | 'declaredBy' | 'declaredAt'>>;

/** Incidents. */
export interface IncidentRepo {
  create(data: NewIncident): Promise<Incident>;
  get(id: number): Promise<Incident | null>;
  /**
   * The same, for a transaction that adds to the incident without changing its row (a timeline entry): the row still
   * cannot change (be closed) until commit, but such transactions on one incident do not wait for each other.
   * `get` is for transactions that may change the row; they run one after another.
   */
  getShared(id: number): Promise<Incident | null>;
  byChannel(channelId: string): Promise<Incident | null>;
  update(id: number, patch: IncidentPatch, at: number): Promise<void>;
  listOpen(): Promise<Incident[]>;
  /** Incidents declared before `before`, newest first, for finding related ones. */
  earlier(before: number, limit: number): Promise<Incident[]>;
}

/** Role assignments with history. */
export interface RoleRepo {
  current(incidentId: number): Promise<RoleAssignment[]>;
  /** Current holders of many incidents at once (for lists). */
  currentFor(incidentIds: number[]): Promise<RoleAssignment[]>;
  history(incidentId: number): Promise<RoleAssignment[]>;
  /** Ends the current holder's assignment (if any) and records the new one; returns the previous holder. */
  assign(incidentId: number, role: Role, userId: string, by: string, at: number): Promise<string | null>;
  everAssigned(incidentId: number, role: Role): Promise<boolean>;
}

/** A new timeline entry; `sourceTs` makes a Slack message enter at most once. */
export interface NewTimelineEntry {
  incidentId: number;
  at: number;
  kind: TimelineKind;
  actor: string | null;
  text: string;
  sourceTs?: string | null;
  permalink?: string | null;
}

/** Timeline. */
export interface TimelineRepo {
  /** Adds an entry; null when a message with the same source ts is already in. */
  add(entry: NewTimelineEntry, createdAt: number): Promise<number | null>;
  list(incidentId: number): Promise<TimelineEntry[]>;
  hasSource(incidentId: number, sourceTs: string): Promise<boolean>;
}

/** Status updates. */
export interface UpdateRepo {
  add(update: Omit<StatusUpdate, 'id'>): Promise<StatusUpdate>;
  get(id: number): Promise<StatusUpdate | null>;
  list(incidentId: number): Promise<StatusUpdate[]>;
}

/** Severity history. */
export interface SeverityRepo {
  add(incidentId: number, at: number, from: Severity, to: Severity, by: string | null): Promise<void>;
  list(incidentId: number): Promise<{ at: number; from: Severity; to: Severity; by: string | null }[]>;
}

/** Action items. */
export interface ActionRepo {
  add(item: Omit<ActionItem, 'id' | 'seq' | 'status' | 'doneAt'>): Promise<ActionItem>;
  get(incidentId: number, seq: number): Promise<ActionItem | null>;
  byId(id: number): Promise<ActionItem | null>;
  list(incidentId: number): Promise<ActionItem[]>;
  markDone(id: number, at: number): Promise<void>;
  /** Open items whose reminders go to `userId` (owned by them, or added by them without an owner), across incidents. */
  openFor(userId: string): Promise<ActionItem[]>;
  /** Opens a done item again (its GitHub issue was reopened). */
  reopen(id: number): Promise<void>;
}

/** The people directory: names and time zones fetched from Slack. */
export interface PeopleRepo {
  get(userId: string): Promise<Person | null>;
  /** The stored people among `userIds` (unknown ones are left out). */
  many(userIds: readonly string[]): Promise<Person[]>;
  /** Inserts or replaces a person. */
  put(person: Person): Promise<void>;
}


/** Status page publications and the page incident they go to. */
export interface StatuspageRepo {
  addPublication(p: Omit<Publication, 'id' | 'publishedAt'>): Promise<Publication>;
  publication(id: number): Promise<Publication | null>;
  markPublished(id: number, at: number): Promise<void>;
  /** The page incident of one of ours, once created. */
  pageIncident(incidentId: number): Promise<PageIncident | null>;
  /** Records (or moves) the page incident and its public status. */
  setPageIncident(incidentId: number, page: { pageIncidentId: string; shortlink: string | null; status: PublicStatus }, at: number): Promise<void>;
}

/** GitHub issues linked to action items. */
export interface IssueRepo {
  byAction(actionItemId: number): Promise<LinkedIssue | null>;
  byNumber(number: number): Promise<LinkedIssue | null>;
  forIncident(incidentId: number): Promise<LinkedIssue[]>;
  link(incidentId: number, issue: LinkedIssue, at: number): Promise<void>;
  setState(actionItemId: number, state: LinkedIssue['state'], at: number): Promise<void>;
}

/** What a reminder is about. */
export type ReminderKind = 'update' | 'postmortem' | 'action';

/** A due reminder claimed by the scheduler. */
export interface Reminder {
  id: number;
  incidentId: number;
  kind: ReminderKind;
  actionItemId: number;
  dueAt: number;
}

/** Reminders with due times. */
export interface ReminderRepo {
  /** Replaces the pending reminder of that kind (and action item) with one due at `dueAt`. */
  schedule(incidentId: number, kind: ReminderKind, dueAt: number, actionItemId?: number): Promise<void>;
  cancel(incidentId: number, kind: ReminderKind, actionItemId?: number): Promise<void>;
  cancelAll(incidentId: number): Promise<void>;
  pending(incidentId: number, kind: ReminderKind, actionItemId?: number): Promise<Reminder | null>;
  /** Marks up to `limit` due reminders fired and returns them; call inside a transaction. */
  claimDue(now: number, limit: number): Promise<Reminder[]>;
}

/** Options for queueing an effect. */
export interface EnqueueOptions {
  /** Effects with the same coalesce key collapse into one pending delivery. */
  coalesceKey?: string;
  /** Deterministic key for effects that must not be queued twice. */
  key?: string;
  /** Not delivered before this time (epoch ms). */
  notBefore?: number;
}

/** The outbox as the use cases see it. */
export interface OutboxWriter {
  enqueue(effect: Effect, at: number, options?: EnqueueOptions): Promise<void>;
}

/** Keys of requests already handled. */
export interface RequestRepo {
  get(key: string): Promise<unknown | undefined>;
  put(key: string, response: unknown, at: number): Promise<void>;
}

/** An alert firing as the bot keeps it. */
export interface AlertRecord {
  id: number;
  source: string;
  fingerprint: string;
  startsAt: number;
  groupKey: string;
  incidentId: number;
  status: 'firing' | 'resolved';
  firstSeenAt: number;
  resolvedAt: number | null;
}

/** Alerts seen at the hooks. */
export interface AlertRepo {
  /** The most recent firing of that alert, or null. */
  latest(source: string, fingerprint: string): Promise<AlertRecord | null>;
  /** The active (not resolved or closed) incident an alert of that group opened or joined, or null. */
  openIncidentOfGroup(source: string, groupKey: string): Promise<number | null>;
  add(alert: Omit<AlertRecord, 'id' | 'resolvedAt' | 'status'> & { status?: 'firing' | 'resolved' }): Promise<void>;
  markResolved(id: number, at: number): Promise<void>;
  /** Whether any alert of that source opened or joined the incident. */
  incidentHasSource(incidentId: number, source: string): Promise<boolean>;
}

/** State of an incident's page. */
export interface PageState {
  triggeredAt: number;
  resolvedAt: number | null;
}

/** Pages sent through PagerDuty. */
export interface PageRepo {
  get(incidentId: number): Promise<PageState | null>;
  triggered(incidentId: number, at: number): Promise<void>;
  resolved(incidentId: number, at: number): Promise<void>;
}

/** Everything reachable inside one transaction. */
export interface Repos {
  incidents: IncidentRepo;
  roles: RoleRepo;
  timeline: TimelineRepo;
  updates: UpdateRepo;
  severity: SeverityRepo;
  actions: ActionRepo;
  reminders: ReminderRepo;
  outbox: OutboxWriter;
  requests: RequestRepo;
  people: PeopleRepo;
  alerts: AlertRepo;
  pages: PageRepo;
  statuspage: StatuspageRepo;
  issues: IssueRepo;
}

/** What may be read outside a transaction: every repository's queries, none of its writes. */
export interface Reads {
  incidents: Pick<IncidentRepo, 'get' | 'byChannel' | 'listOpen' | 'earlier'>;
  roles: Pick<RoleRepo, 'current' | 'currentFor' | 'history' | 'everAssigned'>;
  timeline: Pick<TimelineRepo, 'list' | 'hasSource'>;
  updates: Pick<UpdateRepo, 'get' | 'list'>;
  severity: Pick<SeverityRepo, 'list'>;
  actions: Pick<ActionRepo, 'get' | 'byId' | 'list' | 'openFor'>;
  reminders: Pick<ReminderRepo, 'pending'>;
  requests: Pick<RequestRepo, 'get'>;
  people: Pick<PeopleRepo, 'get' | 'many'>;
  statuspage: Pick<StatuspageRepo, 'publication' | 'pageIncident'>;
  issues: Pick<IssueRepo, 'byAction' | 'byNumber' | 'forIncident'>;
}

/**
 * The store: reads anywhere, writes only inside `transaction`. On PostgreSQL a transaction runs on one
 * pooled connection and may be retried from the start after a conflict with another replica (a unique key
 * taken, a serialization failure), so `fn` must only touch the database through `tx`.
 */
export interface Store extends Reads {
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /** Resolves when the database answers; used by /healthz. */
  ping(): Promise<boolean>;
}

/** Current time in epoch ms; injected so tests and the domain control time. */
export type Clock = () => number;

/** Status values an incident can be moved to by a command. */
export type MovableStatus = Exclude<Status, 'closed'>;

/** A queued effect as the delivery worker sees it. */
export interface OutboxItem {
  id: number;
  key: string;
  lane: string | null;
  effect: Effect;
  attempts: number;
  createdAt: number;
}

/** Backlog figures for /healthz and /metrics. */
export interface OutboxStats {
  pending: number;
  inflight: number;
  dead: number;
  oldestPendingAt: number | null;
}

/** The outbox as the delivery worker sees it. */
export interface OutboxQueue {
  /** Returns rows (of one target, when given) left in flight by a crash to pending; each target's worker calls it once at start-up. */
  recover(target?: Target): Promise<number>;
  /** Claims up to `limit` ready items (of one target, when given) whose lane has nothing earlier still open. */
  claim(now: number, limit: number, target?: Target): Promise<OutboxItem[]>;
  /** Marks an item delivered and applies what its delivery learned (ids, follow-up effects) in one transaction. */
  complete(id: number, at: number, apply?: (tx: Repos) => Promise<void>): Promise<void>;
  /** Puts an item back for another attempt at `nextAt`. */
  retry(id: number, nextAt: number, error: string, countAttempt: boolean): Promise<void>;
  /** Gives up on an item (a permanent error); it stays for inspection. */
  bury(id: number, at: number, error: string): Promise<void>;
  /** Earliest time a pending item (of one target, when given) becomes ready, or null when nothing is pending. */
  nextReadyAt(target?: Target): Promise<number | null>;
  /** Backlog figures, of one target when given. */
  stats(target?: Target): Promise<OutboxStats>;
}
