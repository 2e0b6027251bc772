/** Drizzle schema of the whole product: incidents, roles, timeline, updates, actions, reminders, outbox, idempotency keys, people. Times are epoch ms UTC. */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Incidents; the AUTOINCREMENT id is the `INC-<n>` number, so numbers are never reused. */
export const incidents = sqliteTable('incidents', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),
  severity: text('severity').notNull(),
  status: text('status').notNull(),
  summary: text('summary').notNull().default(''),
  services: text('services', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  channelId: text('channel_id'),
  channelName: text('channel_name'),
  // Set when Slack refused to create the channel (e.g. restricted_action): list and App Home show it; retry clears it.
  channelError: text('channel_error'),
  summaryTs: text('summary_ts'),
  declaredBy: text('declared_by').notNull(),
  declaredAt: integer('declared_at').notNull(),
  identifiedAt: integer('identified_at'),
  mitigatingAt: integer('mitigating_at'),
  monitoringAt: integer('monitoring_at'),
  resolvedAt: integer('resolved_at'),
  closedAt: integer('closed_at'),
  resolution: text('resolution'),
  lastUpdateAt: integer('last_update_at'),
  nextUpdateDueAt: integer('next_update_due_at'),
  missedUpdates: integer('missed_updates').notNull().default(0),
  postmortemAt: integer('postmortem_at'),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  uniqueIndex('incidents_channel_id').on(t.channelId),
  index('incidents_status').on(t.status),
]);

/** Every role assignment ever made; ended_at NULL marks the current holder. */
export const roleAssignments = sqliteTable('role_assignments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  role: text('role').notNull(),
  userId: text('user_id').notNull(),
  assignedBy: text('assigned_by').notNull(),
  assignedAt: integer('assigned_at').notNull(),
  endedAt: integer('ended_at'),
}, (t) => [
  index('role_assignments_incident').on(t.incidentId, t.role),
  uniqueIndex('role_assignments_current').on(t.incidentId, t.role).where(sql`ended_at IS NULL`),
]);

/** Timeline entries; a Slack message enters once per incident (unique source ts). */
export const timelineEntries = sqliteTable('timeline_entries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  at: integer('at').notNull(),
  kind: text('kind').notNull(),
  actor: text('actor'),
  text: text('text').notNull(),
  sourceTs: text('source_ts'),
  permalink: text('permalink'),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  index('timeline_incident_at').on(t.incidentId, t.at),
  uniqueIndex('timeline_source').on(t.incidentId, t.sourceTs).where(sql`source_ts IS NOT NULL`),
]);

/** Posted status updates. */
export const statusUpdates = sqliteTable('status_updates', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  at: integer('at').notNull(),
  author: text('author').notNull(),
  status: text('status').notNull(),
  severity: text('severity').notNull(),
  text: text('text').notNull(),
  nextDueAt: integer('next_due_at'),
}, (t) => [index('status_updates_incident').on(t.incidentId, t.at)]);

/** Severity history, for the postmortem. */
export const severityChanges = sqliteTable('severity_changes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  at: integer('at').notNull(),
  fromSeverity: text('from_severity').notNull(),
  toSeverity: text('to_severity').notNull(),
  by: text('by'),
}, (t) => [index('severity_changes_incident').on(t.incidentId)]);

/** Follow-up action items, `A-<seq>` within an incident. */
export const actionItems = sqliteTable('action_items', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  seq: integer('seq').notNull(),
  text: text('text').notNull(),
  owner: text('owner'),
  dueDate: text('due_date'),
  status: text('status').notNull().default('open'),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  doneAt: integer('done_at'),
}, (t) => [uniqueIndex('action_items_seq').on(t.incidentId, t.seq)]);

/** Reminders with due times; the scheduler claims pending ones in a transaction, so each fires once. */
export const reminders = sqliteTable('reminders', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  kind: text('kind').notNull(), // update | postmortem | action
  // 0 for reminders that are not about an action item, so the pending-uniqueness index sees no NULLs.
  actionItemId: integer('action_item_id').notNull().default(0),
  dueAt: integer('due_at').notNull(),
  state: text('state').notNull().default('pending'), // pending | fired | cancelled
  firedAt: integer('fired_at'),
}, (t) => [
  // Only pending rows are indexed, so a tick's cost does not grow with history or closed incidents.
  index('reminders_due').on(t.dueAt).where(sql`state = 'pending'`),
  uniqueIndex('reminders_pending_one').on(t.incidentId, t.kind, t.actionItemId).where(sql`state = 'pending'`),
]);

/** Durable work for Slack, PagerDuty, Statuspage, GitHub: written in the same transaction as the state change, delivered by that target's outbox worker. */
export const outbox = sqliteTable('outbox', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  key: text('key').notNull(),
  // Each target has its own worker; a target that is down leaves the others' items untouched.
  target: text('target').notNull().default('slack'),
  lane: text('lane'),
  incidentId: integer('incident_id'),
  effect: text('effect', { mode: 'json' }).notNull(),
  // Effects that only need the latest state (summary refreshes) share a coalesce key: one pending row at most.
  coalesceKey: text('coalesce_key'),
  state: text('state').notNull().default('pending'), // pending | inflight | done | dead
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at').notNull(),
  // Used by PostgreSQL replicas (a claim's lease); one SQLite process never needs it, kept for schema parity.
  leaseUntil: integer('lease_until'),
  lastError: text('last_error'),
  createdAt: integer('created_at').notNull(),
  doneAt: integer('done_at'),
}, (t) => [
  uniqueIndex('outbox_key').on(t.key),
  index('outbox_pending').on(t.nextAttemptAt, t.id).where(sql`state = 'pending'`),
  index('outbox_target_pending').on(t.target, t.nextAttemptAt, t.id).where(sql`state = 'pending'`),
  index('outbox_lane_open').on(t.lane, t.id).where(sql`state IN ('pending', 'inflight')`),
  uniqueIndex('outbox_coalesce_pending').on(t.coalesceKey).where(sql`state = 'pending'`),
]);

/** Requests already handled (trigger ids, view ids, event ids) and what was answered. */
export const handledRequests = sqliteTable('handled_requests', {
  key: text('key').primaryKey(),
  response: text('response', { mode: 'json' }),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('handled_requests_created').on(t.createdAt)]);

/** The people directory: names and time zones fetched from Slack (users.info), so output outside Slack can name people while Slack is down. */
export const people = sqliteTable('people', {
  userId: text('user_id').primaryKey(),
  name: text('name').notNull(),
  tz: text('tz'),
  tzOffsetSec: integer('tz_offset_sec'),
  fetchedAt: integer('fetched_at').notNull(),
});

/** Alerts seen at the hooks, one row per firing (source, fingerprint, start): repeats add nothing, a group's new alert joins its incident. */
export const alerts = sqliteTable('alerts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  source: text('source').notNull(), // alertmanager | grafana | pagerduty
  fingerprint: text('fingerprint').notNull(),
  startsAt: integer('starts_at').notNull(),
  groupKey: text('group_key').notNull(),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  status: text('status').notNull(), // firing | resolved
  firstSeenAt: integer('first_seen_at').notNull(),
  resolvedAt: integer('resolved_at'),
}, (t) => [
  uniqueIndex('alerts_firing').on(t.source, t.fingerprint, t.startsAt),
  index('alerts_group').on(t.source, t.groupKey),
  index('alerts_incident').on(t.incidentId),
]);

/** Whether an incident's PagerDuty page is open: paging twice for one reason never happens, resolving ends it. */
export const incidentPages = sqliteTable('incident_pages', {
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  triggeredAt: integer('triggered_at').notNull(),
  resolvedAt: integer('resolved_at'),
}, (t) => [primaryKey({ columns: [t.incidentId] })]); // table-level: an INTEGER column key would be a rowid alias

/** Publications to the status page asked for with `/incident statuspage`; published_at is set once Statuspage has it. */
export const statuspagePublications = sqliteTable('statuspage_publications', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  status: text('status').notNull(),
  message: text('message').notNull(),
  by: text('by').notNull(),
  at: integer('at').notNull(),
  publishedAt: integer('published_at'),
}, (t) => [index('statuspage_publications_incident').on(t.incidentId, t.id)]);

/** The Statuspage incident mirroring one of ours (one per incident): created on the first publication, updated after. */
export const statuspageIncidents = sqliteTable('statuspage_incidents', {
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  pageIncidentId: text('page_incident_id').notNull(),
  shortlink: text('shortlink'),
  status: text('status').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.incidentId] })]);

/** The GitHub issue of an action item (one per item); the number is how `issues` webhooks find the item. */
export const githubIssues = sqliteTable('github_issues', {
  actionItemId: integer('action_item_id').notNull().references(() => actionItems.id),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  number: integer('number').notNull(),
  url: text('url').notNull(),
  state: text('state').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  // A table-level key: an INTEGER PRIMARY KEY column would be SQLite's rowid (auto-assigned), unlike PostgreSQL's.
  primaryKey({ columns: [t.actionItemId] }),
  uniqueIndex('github_issues_number').on(t.number), index('github_issues_incident').on(t.incidentId),
]);
