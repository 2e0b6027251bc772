/**
 * The PostgreSQL schema: the same tables, columns and indexes as the SQLite one (../schema.ts), in PostgreSQL
 * types. Times are epoch ms UTC in bigint (read back as JS numbers); JSON columns are jsonb. Keep the two in
 * step: test/store/schema-parity.test.ts fails when a table or column exists in only one of them.
 */
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });
const id = () => integer('id').primaryKey().generatedByDefaultAsIdentity();

/** Incidents; the identity column is the `INC-<n>` number. A sequence never hands out a number twice. */
export const incidents = pgTable('incidents', {
  id: id(),
  title: text('title').notNull(),
  severity: text('severity').notNull(),
  status: text('status').notNull(),
  summary: text('summary').notNull().default(''),
  services: jsonb('services').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  channelId: text('channel_id'),
  channelName: text('channel_name'),
  // Set when Slack refused to create the channel (e.g. restricted_action): list and App Home show it; retry clears it.
  channelError: text('channel_error'),
  summaryTs: text('summary_ts'),
  declaredBy: text('declared_by').notNull(),
  declaredAt: ms('declared_at').notNull(),
  identifiedAt: ms('identified_at'),
  mitigatingAt: ms('mitigating_at'),
  monitoringAt: ms('monitoring_at'),
  resolvedAt: ms('resolved_at'),
  closedAt: ms('closed_at'),
  resolution: text('resolution'),
  lastUpdateAt: ms('last_update_at'),
  nextUpdateDueAt: ms('next_update_due_at'),
  missedUpdates: integer('missed_updates').notNull().default(0),
  postmortemAt: ms('postmortem_at'),
  updatedAt: ms('updated_at').notNull(),
}, (t) => [
  uniqueIndex('incidents_channel_id').on(t.channelId),
  index('incidents_status').on(t.status),
]);

/** Every role assignment ever made; ended_at NULL marks the current holder. */
export const roleAssignments = pgTable('role_assignments', {
  id: id(),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  role: text('role').notNull(),
  userId: text('user_id').notNull(),
  assignedBy: text('assigned_by').notNull(),
  assignedAt: ms('assigned_at').notNull(),
  endedAt: ms('ended_at'),
}, (t) => [
  index('role_assignments_incident').on(t.incidentId, t.role),
  uniqueIndex('role_assignments_current').on(t.incidentId, t.role).where(sql`ended_at IS NULL`),
]);

/** Timeline entries; a Slack message enters once per incident (unique source ts). */
export const timelineEntries = pgTable('timeline_entries', {
  id: id(),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  at: ms('at').notNull(),
  kind: text('kind').notNull(),
  actor: text('actor'),
  text: text('text').notNull(),
  sourceTs: text('source_ts'),
  permalink: text('permalink'),
  createdAt: ms('created_at').notNull(),
}, (t) => [
  index('timeline_incident_at').on(t.incidentId, t.at),
  uniqueIndex('timeline_source').on(t.incidentId, t.sourceTs).where(sql`source_ts IS NOT NULL`),
]);

/** Posted status updates. */
export const statusUpdates = pgTable('status_updates', {
  id: id(),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  at: ms('at').notNull(),
  author: text('author').notNull(),
  status: text('status').notNull(),
  severity: text('severity').notNull(),
  text: text('text').notNull(),
  nextDueAt: ms('next_due_at'),
}, (t) => [index('status_updates_incident').on(t.incidentId, t.at)]);

/** Severity history, for the postmortem. */
export const severityChanges = pgTable('severity_changes', {
  id: id(),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  at: ms('at').notNull(),
  fromSeverity: text('from_severity').notNull(),
  toSeverity: text('to_severity').notNull(),
  by: text('by'),
}, (t) => [index('severity_changes_incident').on(t.incidentId)]);

/** Follow-up action items, `A-<seq>` within an incident. */
export const actionItems = pgTable('action_items', {
  id: id(),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  seq: integer('seq').notNull(),
  text: text('text').notNull(),
  owner: text('owner'),
  dueDate: text('due_date'),
  status: text('status').notNull().default('open'),
  createdBy: text('created_by').notNull(),
  createdAt: ms('created_at').notNull(),
  doneAt: ms('done_at'),
}, (t) => [uniqueIndex('action_items_seq').on(t.incidentId, t.seq)]);

/** Reminders with due times; a replica claims due ones with FOR UPDATE SKIP LOCKED in the transaction that fires them. */
export const reminders = pgTable('reminders', {
  id: id(),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  kind: text('kind').notNull(),
  actionItemId: integer('action_item_id').notNull().default(0),
  dueAt: ms('due_at').notNull(),
  state: text('state').notNull().default('pending'),
  firedAt: ms('fired_at'),
}, (t) => [
  index('reminders_due').on(t.dueAt).where(sql`state = 'pending'`),
  uniqueIndex('reminders_pending_one').on(t.incidentId, t.kind, t.actionItemId).where(sql`state = 'pending'`),
]);

/** Durable work for Slack and the other targets; a replica claims a row with a lease (lease_until), and another takes it over once the lease expires. */
export const outbox = pgTable('outbox', {
  id: id(),
  key: text('key').notNull(),
  target: text('target').notNull().default('slack'),
  lane: text('lane'),
  incidentId: integer('incident_id'),
  effect: jsonb('effect').notNull(),
  coalesceKey: text('coalesce_key'),
  state: text('state').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ms('next_attempt_at').notNull(),
  leaseUntil: ms('lease_until'),
  lastError: text('last_error'),
  createdAt: ms('created_at').notNull(),
  doneAt: ms('done_at'),
}, (t) => [
  uniqueIndex('outbox_key').on(t.key),
  index('outbox_pending').on(t.nextAttemptAt, t.id).where(sql`state = 'pending'`),
  index('outbox_target_pending').on(t.target, t.nextAttemptAt, t.id).where(sql`state = 'pending'`),
  index('outbox_lane_open').on(t.lane, t.id).where(sql`state IN ('pending', 'inflight')`),
  uniqueIndex('outbox_coalesce_pending').on(t.coalesceKey).where(sql`state = 'pending'`),
  index('outbox_inflight_lease').on(t.leaseUntil).where(sql`state = 'inflight'`),
]);

/** Requests already handled (trigger ids, view ids, event ids); the primary key makes a retried request on another replica a conflict. */
export const handledRequests = pgTable('handled_requests', {
  key: text('key').primaryKey(),
  response: jsonb('response'),
  createdAt: ms('created_at').notNull(),
}, (t) => [index('handled_requests_created').on(t.createdAt)]);

/** The people directory: names and time zones fetched from Slack (users.info). */
export const people = pgTable('people', {
  userId: text('user_id').primaryKey(),
  name: text('name').notNull(),
  tz: text('tz'),
  tzOffsetSec: integer('tz_offset_sec'),
  fetchedAt: ms('fetched_at').notNull(),
});

/** Alerts seen at the hooks, one row per firing (source, fingerprint, start): repeats add nothing, a group's new alert joins its incident. */
export const alerts = pgTable('alerts', {
  id: id(),
  source: text('source').notNull(),
  fingerprint: text('fingerprint').notNull(),
  startsAt: ms('starts_at').notNull(),
  groupKey: text('group_key').notNull(),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  status: text('status').notNull(),
  firstSeenAt: ms('first_seen_at').notNull(),
  resolvedAt: ms('resolved_at'),
}, (t) => [
  uniqueIndex('alerts_firing').on(t.source, t.fingerprint, t.startsAt),
  index('alerts_group').on(t.source, t.groupKey),
  index('alerts_incident').on(t.incidentId),
]);

/** Whether an incident's PagerDuty page is open. */
export const incidentPages = pgTable('incident_pages', {
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  triggeredAt: ms('triggered_at').notNull(),
  resolvedAt: ms('resolved_at'),
}, (t) => [primaryKey({ columns: [t.incidentId] })]);

/** Publications to the status page asked for with `/incident statuspage`; published_at is set once Statuspage has it. */
export const statuspagePublications = pgTable('statuspage_publications', {
  id: id(),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  status: text('status').notNull(),
  message: text('message').notNull(),
  by: text('by').notNull(),
  at: ms('at').notNull(),
  publishedAt: ms('published_at'),
}, (t) => [index('statuspage_publications_incident').on(t.incidentId, t.id)]);

/** The Statuspage incident mirroring one of ours (one per incident): created on the first publication, updated after. */
export const statuspageIncidents = pgTable('statuspage_incidents', {
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  pageIncidentId: text('page_incident_id').notNull(),
  shortlink: text('shortlink'),
  status: text('status').notNull(),
  updatedAt: ms('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.incidentId] })]);

/** The GitHub issue of an action item (one per item); the number is how `issues` webhooks find the item. */
export const githubIssues = pgTable('github_issues', {
  actionItemId: integer('action_item_id').notNull().references(() => actionItems.id),
  incidentId: integer('incident_id').notNull().references(() => incidents.id),
  number: integer('number').notNull(),
  url: text('url').notNull(),
  state: text('state').notNull(),
  updatedAt: ms('updated_at').notNull(),
}, (t) => [
  // A table-level key: an INTEGER PRIMARY KEY column would be SQLite's rowid (auto-assigned), unlike PostgreSQL's.
  primaryKey({ columns: [t.actionItemId] }),
  uniqueIndex('github_issues_number').on(t.number), index('github_issues_incident').on(t.incidentId),
]);
