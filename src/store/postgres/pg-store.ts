/**
 * The Store port on PostgreSQL, shared by any number of replicas. Each transaction runs on one pooled connection
 * at READ COMMITTED; what SQLite's single writer gave for free is made explicit:
 * - an incident read inside a transaction is locked (FOR UPDATE), so changes to one incident run one after another;
 *   one read with getShared (an append that leaves the incident row alone, e.g. a log entry) is locked FOR SHARE, so
 *   appends run together while a change waits for them (and they for it);
 * - a request key is locked (advisory, transaction-scoped) before it is looked up, so a retried request waits for the
 *   first and then finds its answer (no second declaration, no burnt incident number); the primary key stays as well;
 * - queueing into a lane takes that lane's advisory lock until commit, so ids within a lane follow commit order;
 * - a conflict with another replica (unique key, serialization failure, deadlock) rolls back and reruns the transaction.
 */
import { and, asc, desc, eq, inArray, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { ReminderKind, Repos, Store } from '../../app/ports.js';
import { StoreUnavailableError } from '../../app/context.js';
import type { Role, Severity } from '../../domain/incident.js';
import { laneOf, targetOf } from '../../app/effects.js';
import { toAction, toEntry, toIncident, toIssue, toPageIncident, toPublication, toRole, toUpdate } from '../rows.js';
import type { PgDb } from './database.js';
import * as t from './schema.js';

/** A drizzle handle: the pool or an open transaction. */
export type Q = PgDatabase<NodePgQueryResultHKT, typeof t>;

/** SQLSTATEs after which rerunning the whole transaction is the right answer. */
const RETRYABLE = new Set(['23505', '40001', '40P01']);
const MAX_TX_ATTEMPTS = 6;

/** The PostgreSQL error code of `err` (drizzle wraps driver errors in `cause`). */
export function pgCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

interface TxState { enqueued: boolean }

/**
 * Node's socket error codes and PostgreSQL's connection-class SQLSTATEs: the database is not there, not the request that
 * is wrong. Also refusals of a new connection: too many connections (53300: replicas × DATABASE_POOL_SIZE over
 * max_connections), the database gone (3D000).
 */
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|08\w{3}|57P0[1-3]|53300|3D000)$/;

/** True when `err` says the database could not be reached (refused, reset, timed out, shutting down, not taking connections). */
export function isUnreachable(err: unknown): boolean {
  const code = pgCode(err);
  // 55000 is a broad class; with this message it is a database closed to connections (ALTER DATABASE … ALLOW_CONNECTIONS false).
  if (code === '55000') return /not currently accepting connections/i.test(String((err as Error)?.message ?? '') + String(((err as { cause?: Error })?.cause)?.message ?? ''));
  if (code !== undefined) return UNREACHABLE.test(code);
  const msg = String((err as Error)?.message ?? '') + String(((err as { cause?: Error })?.cause)?.message ?? '');
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error|Query read timeout/i.test(msg);
}

/** Rethrows a lost connection as StoreUnavailableError (a clear answer to the user), anything else unchanged. */
function mapped(err: unknown): never {
  throw isUnreachable(err) ? new StoreUnavailableError() : err;
}

/** The same repositories, with a lost connection reported as StoreUnavailableError. */
function guarded(r: Repos): Repos {
  return Object.fromEntries(Object.entries(r).map(([name, repo]) => [name, Object.fromEntries(Object.entries(repo as Record<string, unknown>).map(([k, fn]) => [
    k, typeof fn === 'function' ? (...args: unknown[]) => (fn as (...a: unknown[]) => Promise<unknown>).apply(repo, args).catch(mapped) : fn,
  ]))])) as unknown as Repos;
}

/** Repositories over `db`; `tx` is set inside a transaction, where reads that decide writes take locks. */
function repos(db: Q, tx: TxState | null): Repos {
  const one = <T>(rows: T[]): T | undefined => rows[0];
  return {
    incidents: {
      async create(d) {
        const [row] = await db.insert(t.incidents).values({
          title: d.title, severity: d.severity, status: 'investigating', summary: d.summary, services: d.services,
          declaredBy: d.declaredBy, declaredAt: d.declaredAt, nextUpdateDueAt: d.nextUpdateDueAt, updatedAt: d.declaredAt,
        }).returning();
        return toIncident(row!);
      },
      async get(id) {
        const q = db.select().from(t.incidents).where(eq(t.incidents.id, id));
        const row = one(tx ? await q.for('update') : await q);
        return row ? toIncident(row) : null;
      },
      async getShared(id) {
        // FOR SHARE: a change to the row (close, status, summary) waits for us and we for it, but appends to one
        // incident hold the lock together, so 500 log entries at once do not queue one behind another.
        const q = db.select().from(t.incidents).where(eq(t.incidents.id, id));
        const row = one(tx ? await q.for('share') : await q);
        return row ? toIncident(row) : null;
      },
      async byChannel(channelId) {
        const q = db.select().from(t.incidents).where(eq(t.incidents.channelId, channelId));
        const row = one(tx ? await q.for('update') : await q);
        return row ? toIncident(row) : null;
      },
      async update(id, patch, at) {
        await db.update(t.incidents).set({ ...patch, updatedAt: at }).where(eq(t.incidents.id, id));
      },
      async listOpen() {
        return (await db.select().from(t.incidents).where(sql`${t.incidents.status} NOT IN ('resolved', 'closed')`).orderBy(asc(t.incidents.id))).map(toIncident);
      },
      async earlier(before, limit) {
        return (await db.select().from(t.incidents).where(lt(t.incidents.declaredAt, before)).orderBy(desc(t.incidents.id)).limit(limit)).map(toIncident);
      },
    },
    roles: {
      async current(incidentId) {
        return (await db.select().from(t.roleAssignments).where(and(eq(t.roleAssignments.incidentId, incidentId), isNull(t.roleAssignments.endedAt)))).map(toRole);
      },
      async currentFor(ids) {
        if (ids.length === 0) return [];
        return (await db.select().from(t.roleAssignments).where(and(inArray(t.roleAssignments.incidentId, ids), isNull(t.roleAssignments.endedAt)))).map(toRole);
      },
      async history(incidentId) {
        return (await db.select().from(t.roleAssignments).where(eq(t.roleAssignments.incidentId, incidentId)).orderBy(asc(t.roleAssignments.id))).map(toRole);
      },
      async assign(incidentId, role, userId, by, at) {
        const cur = one(await db.select().from(t.roleAssignments)
          .where(and(eq(t.roleAssignments.incidentId, incidentId), eq(t.roleAssignments.role, role), isNull(t.roleAssignments.endedAt))).for('update'));
        if (cur) await db.update(t.roleAssignments).set({ endedAt: at }).where(eq(t.roleAssignments.id, cur.id));
        await db.insert(t.roleAssignments).values({ incidentId, role, userId, assignedBy: by, assignedAt: at });
        return cur?.userId ?? null;
      },
      async everAssigned(incidentId, role: Role) {
        return !!one(await db.select({ id: t.roleAssignments.id }).from(t.roleAssignments).where(and(eq(t.roleAssignments.incidentId, incidentId), eq(t.roleAssignments.role, role))).limit(1));
      },
    },
    timeline: {
      async add(e, createdAt) {
        const rows = await db.insert(t.timelineEntries).values({
          incidentId: e.incidentId, at: e.at, kind: e.kind, actor: e.actor, text: e.text, sourceTs: e.sourceTs ?? null, permalink: e.permalink ?? null, createdAt,
        }).onConflictDoNothing().returning({ id: t.timelineEntries.id });
        return rows[0]?.id ?? null;
      },
      async list(incidentId) {
        return (await db.select().from(t.timelineEntries).where(eq(t.timelineEntries.incidentId, incidentId)).orderBy(asc(t.timelineEntries.at), asc(t.timelineEntries.id))).map(toEntry);
      },
      async hasSource(incidentId, sourceTs) {
        return !!one(await db.select({ id: t.timelineEntries.id }).from(t.timelineEntries).where(and(eq(t.timelineEntries.incidentId, incidentId), eq(t.timelineEntries.sourceTs, sourceTs))).limit(1));
      },
    },
    updates: {
      async add(u) {
        const [row] = await db.insert(t.statusUpdates).values(u).returning();
        return toUpdate(row!);
      },
      async get(id) {
        const row = one(await db.select().from(t.statusUpdates).where(eq(t.statusUpdates.id, id)));
        return row ? toUpdate(row) : null;
      },
      async list(incidentId) {
        return (await db.select().from(t.statusUpdates).where(eq(t.statusUpdates.incidentId, incidentId)).orderBy(asc(t.statusUpdates.at), asc(t.statusUpdates.id))).map(toUpdate);
      },
    },
    severity: {
      async add(incidentId, at, from, to, by) {
        await db.insert(t.severityChanges).values({ incidentId, at, fromSeverity: from, toSeverity: to, by });
      },
      async list(incidentId) {
        return (await db.select().from(t.severityChanges).where(eq(t.severityChanges.incidentId, incidentId)).orderBy(asc(t.severityChanges.id)))
          .map((r) => ({ at: r.at, from: r.fromSeverity as Severity, to: r.toSeverity as Severity, by: r.by }));
      },
    },
    actions: {
      async add(a) {
        // Two replicas adding at once pick the same seq; the unique index refuses one and its transaction reruns.
        const next = one(await db.select({ n: sql<number>`coalesce(max(${t.actionItems.seq}), 0) + 1` }).from(t.actionItems).where(eq(t.actionItems.incidentId, a.incidentId)));
        const [row] = await db.insert(t.actionItems).values({ ...a, seq: Number(next?.n ?? 1) }).returning();
        return toAction(row!);
      },
      async get(incidentId, seq) {
        const row = one(await db.select().from(t.actionItems).where(and(eq(t.actionItems.incidentId, incidentId), eq(t.actionItems.seq, seq))));
        return row ? toAction(row) : null;
      },
      async byId(id) {
        const row = one(await db.select().from(t.actionItems).where(eq(t.actionItems.id, id)));
        return row ? toAction(row) : null;
      },
      async list(incidentId) {
        return (await db.select().from(t.actionItems).where(eq(t.actionItems.incidentId, incidentId)).orderBy(asc(t.actionItems.seq))).map(toAction);
      },
      async markDone(id, at) {
        await db.update(t.actionItems).set({ status: 'done', doneAt: at }).where(eq(t.actionItems.id, id));
      },
      async openFor(userId) {
        const remindee = or(eq(t.actionItems.owner, userId), and(isNull(t.actionItems.owner), eq(t.actionItems.createdBy, userId)));
        return (await db.select().from(t.actionItems).where(and(eq(t.actionItems.status, 'open'), remindee))).map(toAction);
      },
      async reopen(id) {
        await db.update(t.actionItems).set({ status: 'open', doneAt: null }).where(eq(t.actionItems.id, id));
      },
    },
    statuspage: {
      async addPublication(p) {
        const [row] = await db.insert(t.statuspagePublications).values(p).returning();
        return toPublication(row!);
      },
      async publication(id) {
        const row = one(await db.select().from(t.statuspagePublications).where(eq(t.statuspagePublications.id, id)));
        return row ? toPublication(row) : null;
      },
      async markPublished(id, at) {
        await db.update(t.statuspagePublications).set({ publishedAt: at }).where(eq(t.statuspagePublications.id, id));
      },
      async pageIncident(incidentId) {
        const row = one(await db.select().from(t.statuspageIncidents).where(eq(t.statuspageIncidents.incidentId, incidentId)));
        return row ? toPageIncident(row) : null;
      },
      async setPageIncident(incidentId, p, at) {
        await db.insert(t.statuspageIncidents).values({ incidentId, ...p, updatedAt: at })
          .onConflictDoUpdate({ target: t.statuspageIncidents.incidentId, set: { ...p, updatedAt: at } });
      },
    },
    issues: {
      async byAction(actionItemId) {
        const row = one(await db.select().from(t.githubIssues).where(eq(t.githubIssues.actionItemId, actionItemId)));
        return row ? toIssue(row) : null;
      },
      async byNumber(number) {
        const row = one(await db.select().from(t.githubIssues).where(eq(t.githubIssues.number, number)));
        return row ? toIssue(row) : null;
      },
      async forIncident(incidentId) {
        return (await db.select().from(t.githubIssues).where(eq(t.githubIssues.incidentId, incidentId))).map(toIssue);
      },
      async link(incidentId, issue, at) {
        await db.insert(t.githubIssues).values({ ...issue, incidentId, updatedAt: at }).onConflictDoNothing();
      },
      async setState(actionItemId, state, at) {
        await db.update(t.githubIssues).set({ state, updatedAt: at }).where(eq(t.githubIssues.actionItemId, actionItemId));
      },
    },
    reminders: {
      async schedule(incidentId, kind, dueAt, actionItemId = 0) {
        await cancelPending(db, incidentId, kind, actionItemId);
        await db.insert(t.reminders).values({ incidentId, kind, dueAt, actionItemId });
      },
      async cancel(incidentId, kind, actionItemId = 0) {
        await cancelPending(db, incidentId, kind, actionItemId);
      },
      async cancelAll(incidentId) {
        await db.update(t.reminders).set({ state: 'cancelled' }).where(and(eq(t.reminders.incidentId, incidentId), eq(t.reminders.state, 'pending')));
      },
      async pending(incidentId, kind, actionItemId = 0) {
        const r = one(await db.select().from(t.reminders).where(and(eq(t.reminders.incidentId, incidentId), eq(t.reminders.kind, kind), eq(t.reminders.actionItemId, actionItemId), eq(t.reminders.state, 'pending'))));
        return r ? { id: r.id, incidentId: r.incidentId, kind: r.kind as ReminderKind, actionItemId: r.actionItemId, dueAt: r.dueAt } : null;
      },
      async claimDue(now, limit) {
        // SKIP LOCKED: a reminder another replica is firing right now is simply not ours; each fires once.
        const res = await db.execute<{ id: number; incident_id: number; kind: string; action_item_id: number; due_at: string }>(sql`
          UPDATE reminders SET state = 'fired', fired_at = ${now}
          WHERE id IN (SELECT id FROM reminders WHERE state = 'pending' AND due_at <= ${now} ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          RETURNING id, incident_id, kind, action_item_id, due_at`);
        return res.rows.map((r) => ({ id: r.id, incidentId: r.incident_id, kind: r.kind as ReminderKind, actionItemId: r.action_item_id, dueAt: Number(r.due_at) }))
          .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
      },
    },
    outbox: {
      async enqueue(effect, at, options = {}) {
        const key = options.key ?? `${effect.kind}:${at}:${Math.random().toString(36).slice(2, 12)}`;
        const lane = laneOf(effect);
        // Held until commit: a later transaction queueing into this lane gets a larger id and commits after us.
        if (lane !== null) await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`lane:${lane}`}))`);
        if (options.coalesceKey) {
          // A coalesced effect supersedes the one still waiting under its key: that row takes the latest content.
          const updated = await db.update(t.outbox).set({ effect }).where(and(eq(t.outbox.coalesceKey, options.coalesceKey), eq(t.outbox.state, 'pending'))).returning({ id: t.outbox.id });
          if (updated.length > 0) {
            if (tx) tx.enqueued = true;
            return;
          }
        }
        await db.insert(t.outbox).values({
          key, target: targetOf(effect), lane, incidentId: 'incidentId' in effect ? effect.incidentId : null, effect, coalesceKey: options.coalesceKey ?? null,
          state: 'pending', attempts: 0, nextAttemptAt: options.notBefore ?? at, createdAt: at,
        }).onConflictDoNothing();
        if (tx) tx.enqueued = true;
      },
    },
    people: {
      async get(userId) {
        return one(await db.select().from(t.people).where(eq(t.people.userId, userId))) ?? null;
      },
      async many(userIds) {
        if (userIds.length === 0) return [];
        return db.select().from(t.people).where(inArray(t.people.userId, [...userIds]));
      },
      async put(p) {
        const values = { userId: p.userId, name: p.name, tz: p.tz, tzOffsetSec: p.tzOffsetSec, fetchedAt: p.fetchedAt };
        await db.insert(t.people).values(values).onConflictDoUpdate({ target: t.people.userId, set: values });
      },
    },
    alerts: {
      async latest(source, fingerprint) {
        const r = one(await db.select().from(t.alerts).where(and(eq(t.alerts.source, source), eq(t.alerts.fingerprint, fingerprint))).orderBy(desc(t.alerts.startsAt), desc(t.alerts.id)).limit(1));
        return r ? { ...r, status: r.status as 'firing' | 'resolved' } : null;
      },
      async openIncidentOfGroup(source, groupKey) {
        const r = one(await db.select({ id: t.incidents.id }).from(t.alerts).innerJoin(t.incidents, eq(t.incidents.id, t.alerts.incidentId))
          .where(and(eq(t.alerts.source, source), eq(t.alerts.groupKey, groupKey), notInArray(t.incidents.status, ['resolved', 'closed'])))
          .orderBy(desc(t.incidents.id)).limit(1));
        return r?.id ?? null;
      },
      async add(a) {
        await db.insert(t.alerts).values({ ...a, status: a.status ?? 'firing' }).onConflictDoNothing();
      },
      async markResolved(id, at) {
        await db.update(t.alerts).set({ status: 'resolved', resolvedAt: at }).where(eq(t.alerts.id, id));
      },
      async incidentHasSource(incidentId, source) {
        return !!one(await db.select({ id: t.alerts.id }).from(t.alerts).where(and(eq(t.alerts.incidentId, incidentId), eq(t.alerts.source, source))).limit(1));
      },
    },
    pages: {
      async get(incidentId) {
        const r = one(await db.select().from(t.incidentPages).where(eq(t.incidentPages.incidentId, incidentId)));
        return r ? { triggeredAt: r.triggeredAt, resolvedAt: r.resolvedAt } : null;
      },
      async triggered(incidentId, at) {
        await db.insert(t.incidentPages).values({ incidentId, triggeredAt: at, resolvedAt: null })
          .onConflictDoUpdate({ target: t.incidentPages.incidentId, set: { triggeredAt: at, resolvedAt: null } });
      },
      async resolved(incidentId, at) {
        await db.update(t.incidentPages).set({ resolvedAt: at }).where(eq(t.incidentPages.incidentId, incidentId));
      },
    },
    requests: {
      async get(key) {
        if (tx) await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`request:${key}`}))`);
        const row = one(await db.select({ response: t.handledRequests.response }).from(t.handledRequests).where(eq(t.handledRequests.key, key)));
        return row ? row.response : undefined;
      },
      async put(key, response, at) {
        // The first answer stays, as on SQLite. Callers look the key up first (get, which locks it), so a request
        // retried onto another replica waits for this one to commit and then finds its answer.
        await db.insert(t.handledRequests).values({ key, response: response ?? null, createdAt: at }).onConflictDoNothing();
      },
    },
  };
}

async function cancelPending(db: Q, incidentId: number, kind: string, actionItemId: number): Promise<void> {
  await db.update(t.reminders).set({ state: 'cancelled' })
    .where(and(eq(t.reminders.incidentId, incidentId), eq(t.reminders.kind, kind), eq(t.reminders.actionItemId, actionItemId), eq(t.reminders.state, 'pending')));
}

/** PostgreSQL-backed Store. */
export class PgStore implements Store {
  private readonly commitListeners: (() => void)[] = [];
  private readonly reads: Repos;
  readonly incidents; readonly roles; readonly timeline; readonly updates; readonly severity; readonly actions; readonly reminders; readonly requests; readonly people; readonly alerts; readonly pages; readonly statuspage; readonly issues;

  constructor(readonly pool: pg.Pool, readonly db: PgDb) {
    this.reads = guarded(repos(db as unknown as Q, null));
    ({ incidents: this.incidents, roles: this.roles, timeline: this.timeline, updates: this.updates, severity: this.severity,
      actions: this.actions, reminders: this.reminders, requests: this.requests, people: this.people, alerts: this.alerts, pages: this.pages, statuspage: this.statuspage, issues: this.issues } = this.reads);
  }

  /** Runs `fn` in one transaction; reruns it from the start after a conflict with a concurrent one. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    return this.run((tx) => fn(tx));
  }

  /** A transaction that also gets the raw drizzle handle (the outbox queue's own statements). */
  async run<T>(fn: (tx: Repos, db: Q) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const state: TxState = { enqueued: false };
      try {
        const result = await this.db.transaction((h) => fn(repos(h as unknown as Q, state), h as unknown as Q));
        if (state.enqueued) for (const listener of this.commitListeners) listener();
        return result;
      } catch (err) {
        const code = pgCode(err);
        if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_TX_ATTEMPTS) mapped(err);
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      }
    }
  }

  /** Calls `listener` after every commit that queued Slack work (this replica's outbox worker wakes on it). */
  onCommit(listener: () => void): void {
    this.commitListeners.push(listener);
  }

  /** True when the database answers within 2 s, so /healthz turns 503 quickly when it is gone. */
  async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), 2000); });
    try {
      return await Promise.race([this.pool.query('SELECT 1').then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
