/** Test-data builders for incidents and their records, with realistic defaults; every `with…` call returns the builder. */
import type {
  ActionItem,
  Incident,
  Role,
  RoleAssignment,
  Severity,
  Status,
  StatusUpdate,
  TimelineEntry,
  TimelineKind,
} from '../../src/domain/incident.js';
import type { PostmortemInput, RelatedIncident, SeverityChange } from '../../src/domain/postmortem/index.js';

/** 2026-11-22 23:01 UTC: the default declaration time. */
export const T0 = Date.UTC(2026, 10, 22, 23, 1);
/** One minute in milliseconds. */
export const MIN = 60_000;
/** One hour in milliseconds. */
export const HOUR = 60 * MIN;

/** Builds an Incident; defaults describe an open SEV2 checkout incident declared at T0. */
export class IncidentBuilder {
  private readonly value: Incident = {
    id: 42,
    title: 'Checkout latency spike',
    severity: 'SEV2',
    status: 'investigating',
    summary: 'Checkout p99 latency above 8s for EU customers.',
    services: ['checkout-api'],
    channelId: 'C0INC42',
    channelError: null,
    channelName: 'inc-42-checkout-latency',
    summaryTs: '1795388460.000100',
    declaredBy: 'U0DECLARER',
    declaredAt: T0,
    identifiedAt: null,
    mitigatingAt: null,
    monitoringAt: null,
    resolvedAt: null,
    closedAt: null,
    resolution: null,
    lastUpdateAt: null,
    nextUpdateDueAt: T0 + 30 * MIN,
    missedUpdates: 0,
    postmortemAt: null,
  };

  /** Sets the id. */
  withId(id: number): this { this.value.id = id; return this; }
  /** Sets the title. */
  withTitle(title: string): this { this.value.title = title; return this; }
  /** Sets the severity. */
  withSeverity(severity: Severity): this { this.value.severity = severity; return this; }
  /** Sets the status (without touching phase times). */
  withStatus(status: Status): this { this.value.status = status; return this; }
  /** Sets the summary. */
  withSummary(summary: string): this { this.value.summary = summary; return this; }
  /** Sets the affected services. */
  withServices(...services: string[]): this { this.value.services = services; return this; }
  /** Sets the Slack channel (id and name), or none. */
  withChannel(id: string | null, name: string | null): this { this.value.channelId = id; this.value.channelName = name; return this; }
  /** Sets who declared it. */
  declaredBy(userId: string): this { this.value.declaredBy = userId; return this; }
  /** Sets the declaration time. */
  declaredAt(ms: number): this { this.value.declaredAt = ms; return this; }
  /** Marks the incident identified at ms. */
  identifiedAt(ms: number | null): this { this.value.identifiedAt = ms; if (ms !== null) this.value.status = 'identified'; return this; }
  /** Marks the incident mitigating at ms. */
  mitigatingAt(ms: number | null): this { this.value.mitigatingAt = ms; if (ms !== null) this.value.status = 'mitigating'; return this; }
  /** Marks the incident monitoring at ms. */
  monitoringAt(ms: number | null): this { this.value.monitoringAt = ms; if (ms !== null) this.value.status = 'monitoring'; return this; }
  /** Marks the incident resolved at ms with a resolution note. */
  resolvedAt(ms: number, resolution: string | null = null): this {
    this.value.resolvedAt = ms;
    this.value.resolution = resolution;
    this.value.status = 'resolved';
    this.value.nextUpdateDueAt = null;
    return this;
  }
  /** Marks the incident closed at ms. */
  closedAt(ms: number): this { this.value.closedAt = ms; this.value.status = 'closed'; return this; }
  /** Sets the missed-update count. */
  withMissedUpdates(n: number): this { this.value.missedUpdates = n; return this; }
  /** Overrides any fields. */
  with(fields: Partial<Incident>): this { Object.assign(this.value, fields); return this; }
  /** Returns a fresh copy of the incident. */
  build(): Incident { return { ...this.value, services: [...this.value.services] }; }
}

/** Builds a RoleAssignment; defaults: current IC assigned at T0 + 2 min. */
export class RoleAssignmentBuilder {
  private readonly value: RoleAssignment = {
    incidentId: 42, role: 'ic', userId: 'U0ALICE', assignedBy: 'U0DECLARER', assignedAt: T0 + 2 * MIN, endedAt: null,
  };

  /** Sets the incident id. */
  forIncident(id: number): this { this.value.incidentId = id; return this; }
  /** Sets the role. */
  withRole(role: Role): this { this.value.role = role; return this; }
  /** Sets the holder. */
  heldBy(userId: string): this { this.value.userId = userId; return this; }
  /** Sets who assigned it. */
  assignedBy(userId: string): this { this.value.assignedBy = userId; return this; }
  /** Sets when it started. */
  assignedAt(ms: number): this { this.value.assignedAt = ms; return this; }
  /** Sets when it ended (null: still held). */
  endedAt(ms: number | null): this { this.value.endedAt = ms; return this; }
  /** Returns a fresh copy. */
  build(): RoleAssignment { return { ...this.value }; }
}

/** Builds a TimelineEntry; defaults: a log line at T0 + 5 min. */
export class TimelineEntryBuilder {
  private readonly value: TimelineEntry = {
    id: 1, incidentId: 42, at: T0 + 5 * MIN, kind: 'log', actor: 'U0ALICE', text: 'Looking at the checkout dashboards.', permalink: null,
  };

  /** Sets the id. */
  withId(id: number): this { this.value.id = id; return this; }
  /** Sets the incident id. */
  forIncident(id: number): this { this.value.incidentId = id; return this; }
  /** Sets the time. */
  at(ms: number): this { this.value.at = ms; return this; }
  /** Sets the kind. */
  ofKind(kind: TimelineKind): this { this.value.kind = kind; return this; }
  /** Sets the actor (null: the bot). */
  by(actor: string | null): this { this.value.actor = actor; return this; }
  /** Sets the text. */
  withText(text: string): this { this.value.text = text; return this; }
  /** Sets the Slack permalink. */
  withPermalink(url: string | null): this { this.value.permalink = url; return this; }
  /** Returns a fresh copy. */
  build(): TimelineEntry { return { ...this.value }; }
}

/** Builds a StatusUpdate; defaults: an investigating SEV2 update at T0 + 10 min. */
export class StatusUpdateBuilder {
  private readonly value: StatusUpdate = {
    id: 1, incidentId: 42, at: T0 + 10 * MIN, author: 'U0CAROL', status: 'investigating', severity: 'SEV2',
    text: 'We are investigating elevated checkout latency.', nextDueAt: T0 + 40 * MIN,
  };

  /** Sets the id. */
  withId(id: number): this { this.value.id = id; return this; }
  /** Sets the time. */
  at(ms: number): this { this.value.at = ms; return this; }
  /** Sets the author. */
  by(userId: string): this { this.value.author = userId; return this; }
  /** Sets the status at the time of the update. */
  withStatus(status: Status): this { this.value.status = status; return this; }
  /** Sets the severity at the time of the update. */
  withSeverity(severity: Severity): this { this.value.severity = severity; return this; }
  /** Sets the text. */
  withText(text: string): this { this.value.text = text; return this; }
  /** Sets when the next update is due. */
  nextDueAt(ms: number | null): this { this.value.nextDueAt = ms; return this; }
  /** Returns a fresh copy. */
  build(): StatusUpdate { return { ...this.value }; }
}

/** Builds an ActionItem; defaults: open A-1 owned by Bob. */
export class ActionItemBuilder {
  private readonly value: ActionItem = {
    id: 1, incidentId: 42, seq: 1, text: 'Add an alert on checkout p99 latency.', owner: 'U0BOB', dueDate: '2026-12-05',
    status: 'open', createdBy: 'U0ALICE', createdAt: T0 + 50 * MIN, doneAt: null,
  };

  /** Sets the id and the A-<seq> number. */
  withSeq(seq: number, id = seq): this { this.value.seq = seq; this.value.id = id; return this; }
  /** Sets the text. */
  withText(text: string): this { this.value.text = text; return this; }
  /** Sets the owner (null: unowned). */
  ownedBy(userId: string | null): this { this.value.owner = userId; return this; }
  /** Sets the due date (YYYY-MM-DD) or none. */
  due(date: string | null): this { this.value.dueDate = date; return this; }
  /** Sets who created it and when. */
  createdBy(userId: string, at: number = this.value.createdAt): this { this.value.createdBy = userId; this.value.createdAt = at; return this; }
  /** Marks it done at ms. */
  doneAt(ms: number): this { this.value.status = 'done'; this.value.doneAt = ms; return this; }
  /** Returns a fresh copy. */
  build(): ActionItem { return { ...this.value }; }
}

/** Builds a related (earlier) incident summary; defaults: a resolved SEV3 checkout incident a month before T0. */
export class RelatedIncidentBuilder {
  private readonly value: RelatedIncident = {
    id: 31, title: 'Checkout errors after deploy', severity: 'SEV3', status: 'closed', declaredAt: T0 - 30 * 24 * HOUR, services: ['checkout-api'],
  };

  /** Sets the id. */
  withId(id: number): this { this.value.id = id; return this; }
  /** Sets the title. */
  withTitle(title: string): this { this.value.title = title; return this; }
  /** Sets the severity. */
  withSeverity(severity: Severity): this { this.value.severity = severity; return this; }
  /** Sets the status. */
  withStatus(status: Status): this { this.value.status = status; return this; }
  /** Sets the declaration time. */
  declaredAt(ms: number): this { this.value.declaredAt = ms; return this; }
  /** Sets the affected services. */
  withServices(...services: string[]): this { this.value.services = services; return this; }
  /** Returns a fresh copy. */
  build(): RelatedIncident { return { ...this.value, services: [...this.value.services] }; }
}

/** Builds a PostmortemInput around an incident; defaults: no records, generated two hours after T0. */
export class PostmortemInputBuilder {
  private incident: Incident = new IncidentBuilder().build();
  private readonly roles: RoleAssignment[] = [];
  private readonly timeline: TimelineEntry[] = [];
  private readonly updates: StatusUpdate[] = [];
  private readonly actions: ActionItem[] = [];
  private readonly severityChanges: SeverityChange[] = [];
  private participants: string[] = [];
  private related: RelatedIncident[] = [];
  private userNames: Record<string, string> | undefined;
  private generatedAtMs = T0 + 2 * HOUR;

  /** Sets the incident. */
  forIncident(incident: Incident | IncidentBuilder): this { this.incident = toValue(incident); return this; }
  /** Adds role assignments. */
  withRoles(...roles: (RoleAssignment | RoleAssignmentBuilder)[]): this { this.roles.push(...roles.map(toValue)); return this; }
  /** Adds timeline entries. */
  withTimeline(...entries: (TimelineEntry | TimelineEntryBuilder)[]): this { this.timeline.push(...entries.map(toValue)); return this; }
  /** Adds status updates. */
  withUpdates(...updates: (StatusUpdate | StatusUpdateBuilder)[]): this { this.updates.push(...updates.map(toValue)); return this; }
  /** Adds action items. */
  withActions(...actions: (ActionItem | ActionItemBuilder)[]): this { this.actions.push(...actions.map(toValue)); return this; }
  /** Adds a severity change. */
  withSeverityChange(at: number, from: Severity, to: Severity, by: string | null): this { this.severityChanges.push({ at, from, to, by }); return this; }
  /** Sets the participants. */
  withParticipants(...ids: string[]): this { this.participants = ids; return this; }
  /** Sets the related incidents. */
  withRelated(...related: (RelatedIncident | RelatedIncidentBuilder)[]): this { this.related = related.map(toValue); return this; }
  /** Sets the user display names. */
  withUserNames(names: Record<string, string>): this { this.userNames = { ...names }; return this; }
  /** Sets the generation time. */
  generatedAt(ms: number): this { this.generatedAtMs = ms; return this; }
  /** Returns a fresh input. */
  build(): PostmortemInput {
    return {
      incident: { ...this.incident, services: [...this.incident.services] },
      roles: [...this.roles],
      timeline: [...this.timeline],
      updates: [...this.updates],
      actions: [...this.actions],
      severityChanges: [...this.severityChanges],
      participants: [...this.participants],
      related: [...this.related],
      ...(this.userNames ? { userNames: { ...this.userNames } } : {}),
      generatedAt: this.generatedAtMs,
    };
  }
}

function toValue<T>(x: T | { build(): T }): T {
  return typeof x === 'object' && x !== null && 'build' in x && typeof x.build === 'function' ? (x as { build(): T }).build() : (x as T);
}

/** A new IncidentBuilder. */
export function anIncident(): IncidentBuilder { return new IncidentBuilder(); }
/** A new RoleAssignmentBuilder. */
export function aRoleAssignment(): RoleAssignmentBuilder { return new RoleAssignmentBuilder(); }
/** A new TimelineEntryBuilder. */
export function aTimelineEntry(): TimelineEntryBuilder { return new TimelineEntryBuilder(); }
/** A new StatusUpdateBuilder. */
export function aStatusUpdate(): StatusUpdateBuilder { return new StatusUpdateBuilder(); }
/** A new ActionItemBuilder. */
export function anActionItem(): ActionItemBuilder { return new ActionItemBuilder(); }
/** A new RelatedIncidentBuilder. */
export function aRelatedIncident(): RelatedIncidentBuilder { return new RelatedIncidentBuilder(); }
/** A new PostmortemInputBuilder. */
export function aPostmortemInput(): PostmortemInputBuilder { return new PostmortemInputBuilder(); }
