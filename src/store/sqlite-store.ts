/** The Store port on SQLite: one connection, one writer, short transactions. Hot paths run statements prepared once (hot-statements.ts), the rest goes through drizzle. */
import { and, asc, desc, eq, inArray, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import { StoreBusyError } from '../app/context.js';
import type { Repos, Store, ReminderKind } from '../app/ports.js';
import type { Role, Severity } from '../domain/incident.js';
import { laneOf as laneFor, targetOf } from '../app/effects.js';
import { Mutex } from './mutex.js';
import type { Db } from './database.js';
import * as t from './schema.js';
import { toAction, toEntry, toIncident, toIssue, toPageIncident, toPublication, toRole, toUpdate } from './rows.js';
import { type HotStatements, jsonParam, prepareHotStatements } from './hot-statements.js';

/** Builds the repositories over a drizzle handle; the hot paths use statements prepared once (`hot`). */
function repos(db: Db, hot: HotStatements, onEnqueue: () => void): Repos {
  return {
    incidents: {
      async create(d) {
        const row = db.insert(t.incidents).values({
          title: d.title, severity: d.severity, status: 'investigating', summary: d.summary, services: d.services,
          declaredBy: d.declaredBy, declaredAt: d.declaredAt, nextUpdateDueAt: d.nextUpdateDueAt, updatedAt: d.declaredAt,
        }).returning().get();
        return toIncident(row);
      },
      async get(id) {
        const row = hot.incidentById.get({ id });
        return row ? toIncident(row) : null;
      },
      async getShared(id) {
        // One writer at a time on SQLite: nothing to share.
        const row = hot.incidentById.get({ id });
        return row ? toIncident(row) : null;
      },
      async byChannel(channelId) {
        const row = hot.incidentByChannel.get({ channelId });
        return row ? toIncident(row) : null;
      },
      async update(id, patch, at) {
        db.update(t.incidents).set({ ...patch, updatedAt: at }).where(eq(t.incidents.id, id)).run();
      },
      async listOpen() {
        return hot.incidentsOpen.all().map(toIncident);
      },
      async earlier(before, limit) {
        return db.select().from(t.incidents).where(lt(t.incidents.declaredAt, before)).orderBy(desc(t.incidents.id)).limit(limit).all().map(toIncident);
      },
    },
    roles: {
      async current(incidentId) {
        return db.select().from(t.roleAssignments).where(and(eq(t.roleAssignments.incidentId, incidentId), isNull(t.roleAssignments.endedAt))).all().map(toRole);
      },
      async currentFor(ids) {
        if (ids.length === 0) return [];
        return db.select().from(t.roleAssignments).where(and(inArray(t.roleAssignments.incidentId, ids), isNull(t.roleAssignments.endedAt))).all().map(toRole);
      },
      async history(incidentId) {
        return db.select().from(t.roleAssignments).where(eq(t.roleAssignments.incidentId, incidentId)).orderBy(asc(t.roleAssignments.id)).all().map(toRole);
      },
      async assign(incidentId, role, userId, by, at) {
        const cur = db.select().from(t.roleAssignments).where(and(eq(t.roleAssignments.incidentId, incidentId), eq(t.roleAssignments.role, role), isNull(t.roleAssignments.endedAt))).get();
        if (cur) db.update(t.roleAssignments).set({ endedAt: at }).where(eq(t.roleAssignments.id, cur.id)).run();
        db.insert(t.roleAssignments).values({ incidentId, role, userId, assignedBy: by, assignedAt: at }).run();
        return cur?.userId ?? null;
      },
      async everAssigned(incidentId, role: Role) {
        return !!db.select({ id: t.roleAssignments.id }).from(t.roleAssignments).where(and(eq(t.roleAssignments.incidentId, incidentId), eq(t.roleAssignments.role, role))).get();
      },
    },
    timeline: {
      async add(e, createdAt) {
        const row = hot.timelineAdd.get({ incidentId: e.incidentId, at: e.at, kind: e.kind, actor: e.actor, text: e.text, sourceTs: e.sourceTs ?? null, permalink: e.permalink ?? null, createdAt });
        return row?.id ?? null;
      },
      async list(incidentId) {
        return db.select().from(t.timelineEntries).where(eq(t.timelineEntries.incidentId, incidentId)).orderBy(asc(t.timelineEntries.at), asc(t.timelineEntries.id)).all().map(toEntry);
      },
      async hasSource(incidentId, sourceTs) {
        return !!db.select({ id: t.timelineEntries.id }).from(t.timelineEntries).where(and(eq(t.timelineEntries.incidentId, incidentId), eq(t.timelineEntries.sourceTs, sourceTs))).get();
      },
    },
    updates: {
      async add(u) {
        return toUpdate(db.insert(t.statusUpdates).values(u).returning().get());
      },
      async get(id) {
        const row = db.select().from(t.statusUpdates).where(eq(t.statusUpdates.id, id)).get();
        return row ? toUpdate(row) : null;
      },
      async list(incidentId) {
        return db.select().from(t.statusUpdates).where(eq(t.statusUpdates.incidentId, incidentId)).orderBy(asc(t.statusUpdates.at), asc(t.statusUpdates.id)).all().map(toUpdate);
      },
    },
    severity: {
      async add(incidentId, at, from, to, by) {
        db.insert(t.severityChanges).values({ incidentId, at, fromSeverity: from, toSeverity: to, by }).run();
      },
      async list(incidentId) {
        return db.select().from(t.severityChanges).where(eq(t.severityChanges.incidentId, incidentId)).orderBy(asc(t.severityChanges.id)).all()
          .map((r) => ({ at: r.at, from: r.fromSeverity as Severity, to: r.toSeverity as Severity, by: r.by }));
      },
    },
    actions: {
      async add(a) {
        const next = db.select({ n: sql<number>`coalesce(max(${t.actionItems.seq}), 0) + 1` }).from(t.actionItems).where(eq(t.actionItems.incidentId, a.incidentId)).get();
        return toAction(db.insert(t.actionItems).values({ ...a, seq: next?.n ?? 1 }).returning().get());
      },
      async get(incidentId, seq) {
        const row = db.select().from(t.actionItems).where(and(eq(t.actionItems.incidentId, incidentId), eq(t.actionItems.seq, seq))).get();
        return row ? toAction(row) : null;
      },
      async byId(id) {
        const row = db.select().from(t.actionItems).where(eq(t.actionItems.id, id)).get();
        return row ? toAction(row) : null;
      },
      async list(incidentId) {
        return db.select().from(t.actionItems).where(eq(t.actionItems.incidentId, incidentId)).orderBy(asc(t.actionItems.seq)).all().map(toAction);
      },
      async markDone(id, at) {
        db.update(t.actionItems).set({ status: 'done', doneAt: at }).where(eq(t.actionItems.id, id)).run();
      },
      async openFor(userId) {
        const remindee = or(eq(t.actionItems.owner, userId), and(isNull(t.actionItems.owner), eq(t.actionItems.createdBy, userId)));
        return db.select().from(t.actionItems).where(and(eq(t.actionItems.status, 'open'), remindee)).all().map(toAction);
      },
      async reopen(id) {
        db.update(t.actionItems).set({ status: 'open', doneAt: null }).where(eq(t.actionItems.id, id)).run();
      },
    },
    reminders: {
      async schedule(incidentId, kind, dueAt, actionItemId = 0) {
        cancelPending(db, incidentId, kind, actionItemId);
        db.insert(t.reminders).values({ incidentId, kind, dueAt, actionItemId }).run();
      },
      async cancel(incidentId, kind, actionItemId = 0) {
        cancelPending(db, incidentId, kind, actionItemId);
      },
      async cancelAll(incidentId) {
        db.update(t.reminders).set({ state: 'cancelled' }).where(and(eq(t.reminders.incidentId, incidentId), eq(t.reminders.state, 'pending'))).run();
      },
      async pending(incidentId, kind, actionItemId = 0) {
        const r = db.select().from(t.reminders).where(and(eq(t.reminders.incidentId, incidentId), eq(t.reminders.kind, kind), eq(t.reminders.actionItemId, actionItemId), eq(t.reminders.state, 'pending'))).get();
        return r ? { id: r.id, incidentId: r.incidentId, kind: r.kind as ReminderKind, actionItemId: r.actionItemId, dueAt: r.dueAt } : null;
      },
      async claimDue(now, limit) {
        const rows = hot.remindersClaim.all(now, now, limit);
        return rows.map((r) => ({ id: r.id, incidentId: r.incident_id, kind: r.kind as ReminderKind, actionItemId: r.action_item_id, dueAt: r.due_at }))
          .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
      },
    },
    outbox: {
      async enqueue(effect, at, options = {}) {
        const key = options.key ?? `${effect.kind}:${at}:${Math.random().toString(36).slice(2, 12)}`;
        hot.outboxEnqueue.run(key, targetOf(effect), laneFor(effect), 'incidentId' in effect ? effect.incidentId : null, jsonParam(effect), options.coalesceKey ?? null, options.notBefore ?? at, at);
        onEnqueue();
      },
    },
    people: {
      async get(userId) {
        return hot.personGet.get({ userId }) ?? null;
      },
      async many(userIds) {
        if (userIds.length === 0) return [];
        const out = [];
        // Chunked to stay under SQLite's bound-parameter limit on large incidents.
        for (let i = 0; i < userIds.length; i += 500) {
          out.push(...db.select().from(t.people).where(inArray(t.people.userId, userIds.slice(i, i + 500))).all());
        }
        return out;
      },
      async put(p) {
        const values = { userId: p.userId, name: p.name, tz: p.tz, tzOffsetSec: p.tzOffsetSec, fetchedAt: p.fetchedAt };
        db.insert(t.people).values(values).onConflictDoUpdate({ target: t.people.userId, set: values }).run();
      },
    },
    alerts: {
      async latest(source, fingerprint) {
        const r = db.select().from(t.alerts).where(and(eq(t.alerts.source, source), eq(t.alerts.fingerprint, fingerprint))).orderBy(desc(t.alerts.startsAt), desc(t.alerts.id)).limit(1).get();
        return r ? { ...r, status: r.status as 'firing' | 'resolved' } : null;
      },
      async openIncidentOfGroup(source, groupKey) {
        const r = db.select({ id: t.incidents.id }).from(t.alerts).innerJoin(t.incidents, eq(t.incidents.id, t.alerts.incidentId))
          .where(and(eq(t.alerts.source, source), eq(t.alerts.groupKey, groupKey), notInArray(t.incidents.status, ['resolved', 'closed'])))
          .orderBy(desc(t.incidents.id)).limit(1).get();
        return r?.id ?? null;
      },
      async add(a) {
        db.insert(t.alerts).values({ ...a, status: a.status ?? 'firing' }).onConflictDoNothing().run();
      },
      async markResolved(id, at) {
        db.update(t.alerts).set({ status: 'resolved', resolvedAt: at }).where(eq(t.alerts.id, id)).run();
      },
      async incidentHasSource(incidentId, source) {
        return !!db.select({ id: t.alerts.id }).from(t.alerts).where(and(eq(t.alerts.incidentId, incidentId), eq(t.alerts.source, source))).get();
      },
    },
    pages: {
      async get(incidentId) {
        const r = db.select().from(t.incidentPages).where(eq(t.incidentPages.incidentId, incidentId)).get();
        return r ? { triggeredAt: r.triggeredAt, resolvedAt: r.resolvedAt } : null;
      },
      async triggered(incidentId, at) {
        db.insert(t.incidentPages).values({ incidentId, triggeredAt: at, resolvedAt: null })
          .onConflictDoUpdate({ target: t.incidentPages.incidentId, set: { triggeredAt: at, resolvedAt: null } }).run();
      },
      async resolved(incidentId, at) {
        db.update(t.incidentPages).set({ resolvedAt: at }).where(eq(t.incidentPages.incidentId, incidentId)).run();
      },
    },
    statuspage: {
      async addPublication(p) {
        return toPublication(db.insert(t.statuspagePublications).values(p).returning().get());
      },
      async publication(id) {
        const row = db.select().from(t.statuspagePublications).where(eq(t.statuspagePublications.id, id)).get();
        return row ? toPublication(row) : null;
      },
      async markPublished(id, at) {
        db.update(t.statuspagePublications).set({ publishedAt: at }).where(eq(t.statuspagePublications.id, id)).run();
      },
      async pageIncident(incidentId) {
        const row = db.select().from(t.statuspageIncidents).where(eq(t.statuspageIncidents.incidentId, incidentId)).get();
        return row ? toPageIncident(row) : null;
      },
      async setPageIncident(incidentId, p, at) {
        db.insert(t.statuspageIncidents).values({ incidentId, ...p, updatedAt: at })
          .onConflictDoUpdate({ target: t.statuspageIncidents.incidentId, set: { ...p, updatedAt: at } }).run();
      },
    },
    issues: {
      async byAction(actionItemId) {
        const row = db.select().from(t.githubIssues).where(eq(t.githubIssues.actionItemId, actionItemId)).get();
        return row ? toIssue(row) : null;
      },
      async byNumber(number) {
        const row = db.select().from(t.githubIssues).where(eq(t.githubIssues.number, number)).get();
        return row ? toIssue(row) : null;
      },
      async forIncident(incidentId) {
        return db.select().from(t.githubIssues).where(eq(t.githubIssues.incidentId, incidentId)).all().map(toIssue);
      },
      async link(incidentId, issue, at) {
        db.insert(t.githubIssues).values({ ...issue, incidentId, updatedAt: at }).onConflictDoNothing().run();
      },
      async setState(actionItemId, state, at) {
        db.update(t.githubIssues).set({ state, updatedAt: at }).where(eq(t.githubIssues.actionItemId, actionItemId)).run();
      },
    },
    requests: {
      async get(key) {
        const row = hot.requestGet.get(key);
        return row ? (row.response === null ? null : JSON.parse(row.response) as unknown) : undefined;
      },
      async put(key, response, at) {
        hot.requestPut.run(key, jsonParam(response), at);
      },
    },
  };
}

function cancelPending(db: Db, incidentId: number, kind: string, actionItemId: number): void {
  db.update(t.reminders).set({ state: 'cancelled' })
    .where(and(eq(t.reminders.incidentId, incidentId), eq(t.reminders.kind, kind), eq(t.reminders.actionItemId, actionItemId), eq(t.reminders.state, 'pending'))).run();
}


/** How long a transaction may wait for the write lock: well inside Slack's 3 s, leaving room for the work and the reply. */
export const LOCK_WAIT_MS = 1200;
/** SQLite's own (blocking) busy wait per attempt, kept tiny: the real waiting is asynchronous. */
const BUSY_TIMEOUT_MS = 5;

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** SQLite-backed Store; transactions are serialized because SQLite has a single writer. */
export class SqliteStore implements Store {
  private readonly mutex = new Mutex();
  private readonly commitListeners: (() => void)[] = [];
  private enqueued = false;
  private readonly hot: HotStatements;
  private readonly r: Repos;
  readonly incidents; readonly roles; readonly timeline; readonly updates; readonly severity; readonly actions; readonly reminders; readonly outbox; readonly requests; readonly people; readonly alerts; readonly pages; readonly statuspage; readonly issues;

  /**
   * `lockWaitMs`: how long a transaction may wait for the write lock (queueing behind this process's own transactions
   * included) before it gives up with StoreBusyError. It must fit inside Slack's 3 s for the acknowledgement it holds up.
   */
  constructor(readonly sqlite: Database.Database, readonly db: Db, private readonly lockWaitMs = LOCK_WAIT_MS) {
    // better-sqlite3's busy handler sleeps synchronously, stalling every request in the process; keep it to a few ms and
    // wait for the lock asynchronously instead (beginWithin).
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.hot = prepareHotStatements(sqlite, db);
    this.r = repos(db, this.hot, () => { this.enqueued = true; });
    ({ incidents: this.incidents, roles: this.roles, timeline: this.timeline, updates: this.updates, severity: this.severity,
      actions: this.actions, reminders: this.reminders, outbox: this.outbox, requests: this.requests, people: this.people, alerts: this.alerts, pages: this.pages, statuspage: this.statuspage, issues: this.issues } = this.r);
  }

  /**
   * Runs `fn` in BEGIN IMMEDIATE … COMMIT; any throw rolls everything back. Throws StoreBusyError, having written nothing,
   * when the write lock is not had within `lockWaitMs` of the call. Every transaction has the same allowance, so one
   * queued behind another is never made to wait longer than its own.
   */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    const deadline = performance.now() + this.lockWaitMs;
    return this.mutex.run(async () => {
      await this.beginWithin(deadline);
      try {
        const result = await fn(this.r);
        this.hot.commit.run();
        if (this.enqueued) {
          this.enqueued = false;
          for (const listener of this.commitListeners) listener();
        }
        return result;
      } catch (err) {
        this.enqueued = false;
        if (this.sqlite.inTransaction) this.hot.rollback.run();
        throw isBusy(err) ? new StoreBusyError() : err;
      }
    });
  }

  /** BEGIN IMMEDIATE, retried with short async pauses while another connection holds the write lock, until `deadline`. */
  private async beginWithin(deadline: number): Promise<void> {
    for (let pause = 5; ; pause = Math.min(pause * 2, 50)) {
      try {
        this.hot.begin.run();
        return;
      } catch (err) {
        if (!isBusy(err)) throw err;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new StoreBusyError();
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    }
  }

  /** Calls `listener` after every commit that queued Slack work (the outbox worker wakes on it). */
  onCommit(listener: () => void): void {
    this.commitListeners.push(listener);
  }

  async ping(): Promise<boolean> {
    try {
      return this.sqlite.prepare('SELECT 1 AS ok').get() !== undefined;
    } catch {
      return false;
    }
  }
}
