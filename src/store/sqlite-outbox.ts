/** The OutboxQueue port on SQLite: claims ready items lane by lane, so per-lane order holds. */
import type Database from 'better-sqlite3';
import { StoreBusyError } from '../app/context.js';
import type { Effect, Target } from '../app/effects.js';
import type { OutboxItem, OutboxQueue, OutboxStats } from '../app/ports.js';
import type { SqliteStore } from './sqlite-store.js';

const SUPERSEDED = 'superseded by a newer pending delivery';

interface Row { id: number; key: string; lane: string | null; effect: string; attempts: number; created_at: number }

/** The queue's statements, prepared once: the worker runs several per delivery. */
function prepare(sqlite: Database.Database) {
  return {
    // A lane's head is its oldest open item; later items wait until it is delivered or buried.
    claim: sqlite.prepare<[{ now: number; limit: number; target: string | null }], Row>(`
      SELECT o.id, o.key, o.lane, o.effect, o.attempts, o.created_at FROM outbox o
      WHERE o.state = 'pending' AND o.next_attempt_at <= @now AND (@target IS NULL OR o.target = @target)
        AND (o.lane IS NULL OR NOT EXISTS (
          SELECT 1 FROM outbox p WHERE p.lane = o.lane AND p.state IN ('pending', 'inflight') AND p.id < o.id))
      ORDER BY o.next_attempt_at, o.id LIMIT @limit`),
    markInflight: sqlite.prepare<[number]>(`UPDATE outbox SET state = 'inflight' WHERE id = ?`),
    complete: sqlite.prepare<[number, number]>(`UPDATE outbox SET state = 'done', done_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?`),
    // A newer pending item with the same coalesce key already carries the latest state: this one is done.
    supersede: sqlite.prepare<[number]>(`UPDATE outbox SET state = 'done', last_error = '${SUPERSEDED}' WHERE id = ? AND coalesce_key IS NOT NULL
      AND EXISTS (SELECT 1 FROM outbox p WHERE p.coalesce_key = outbox.coalesce_key AND p.state = 'pending' AND p.id <> outbox.id)`),
    retry: sqlite.prepare<[number, string, number, number]>(`UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, attempts = attempts + ? WHERE id = ?`),
    bury: sqlite.prepare<[number, string, number]>(`UPDATE outbox SET state = 'dead', done_at = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?`),
    nextReadyAt: sqlite.prepare<[{ target: string | null }], { t: number | null }>(`SELECT min(next_attempt_at) AS t FROM outbox WHERE state = 'pending' AND (@target IS NULL OR target = @target)`),
    openStats: sqlite.prepare<[{ target: string | null }], { pending: number | null; inflight: number | null; oldest: number | null }>(`
      SELECT sum(state = 'pending') AS pending, sum(state = 'inflight') AS inflight,
             min(CASE WHEN state IN ('pending', 'inflight') THEN created_at END) AS oldest
      FROM outbox WHERE state IN ('pending', 'inflight') AND (@target IS NULL OR target = @target)`),
    deadCount: sqlite.prepare<[{ target: string | null }], { n: number }>(`SELECT count(*) AS n FROM outbox WHERE state = 'dead' AND (@target IS NULL OR target = @target)`),
  };
}

/** How long the record of a finished delivery keeps trying to get written while another process holds the write lock. */
const PERSIST_FOR_MS = 60_000;

/**
 * Runs a write that must not be dropped (what a delivery did, or that it failed) again and again while the database is
 * busy; each try is an ordinary transaction, so commands waiting for the lock get their turns in between.
 */
async function persist<T>(write: () => Promise<T>): Promise<T> {
  const until = performance.now() + PERSIST_FOR_MS;
  for (;;) {
    try {
      return await write();
    } catch (err) {
      if (!(err instanceof StoreBusyError) || performance.now() > until) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SQLite outbox for the delivery worker. */
export class SqliteOutboxQueue implements OutboxQueue {
  private readonly sqlite: Database.Database;
  private readonly q: ReturnType<typeof prepare>;

  constructor(private readonly store: SqliteStore) {
    this.sqlite = store.sqlite;
    this.q = prepare(store.sqlite);
  }

  async recover(target?: Target): Promise<number> {
    const only = { target: target ?? null };
    return persist(() => this.store.transaction(async () => {
      // Coalesced items (one pending row per key) left in flight are superseded by a newer sibling, else re-queued.
      this.sqlite.prepare(`UPDATE outbox SET state = 'done', last_error = '${SUPERSEDED}' WHERE state = 'inflight' AND coalesce_key IS NOT NULL
        AND (@target IS NULL OR target = @target)
        AND EXISTS (SELECT 1 FROM outbox p WHERE p.coalesce_key = outbox.coalesce_key AND p.id <> outbox.id AND (p.state = 'pending' OR (p.state = 'inflight' AND p.id > outbox.id)))`).run(only);
      // A crash mid-delivery is an ambiguous failure: counting it as an attempt makes the retry look for the message first.
      return this.sqlite.prepare(`UPDATE outbox SET state = 'pending', attempts = attempts + 1 WHERE state = 'inflight' AND (@target IS NULL OR target = @target)`).run(only).changes;
    }));
  }

  async claim(now: number, limit: number, target?: Target): Promise<OutboxItem[]> {
    return this.store.transaction(async () => {
      const rows = this.q.claim.all({ now, limit, target: target ?? null });
      for (const r of rows) this.q.markInflight.run(r.id);
      return rows.map((r) => ({ id: r.id, key: r.key, lane: r.lane, effect: JSON.parse(r.effect) as Effect, attempts: r.attempts, createdAt: r.created_at }));
    });
  }

  async complete(id: number, at: number, apply?: Parameters<OutboxQueue['complete']>[2]): Promise<void> {
    await persist(() => this.store.transaction(async (tx) => {
      this.q.complete.run(at, id);
      if (apply) await apply(tx);
    }));
  }

  async retry(id: number, nextAt: number, error: string, countAttempt: boolean): Promise<void> {
    await persist(() => this.store.transaction(async () => {
      if (this.q.supersede.run(id).changes > 0) return;
      this.q.retry.run(nextAt, error.slice(0, 500), countAttempt ? 1 : 0, id);
    }));
  }

  async bury(id: number, at: number, error: string): Promise<void> {
    await persist(() => this.store.transaction(async () => {
      this.q.bury.run(at, error.slice(0, 500), id);
    }));
  }

  async nextReadyAt(target?: Target): Promise<number | null> {
    return this.q.nextReadyAt.get({ target: target ?? null })!.t;
  }

  async stats(target?: Target): Promise<OutboxStats> {
    const row = this.q.openStats.get({ target: target ?? null })!;
    const dead = this.q.deadCount.get({ target: target ?? null })!;
    return { pending: row.pending ?? 0, inflight: row.inflight ?? 0, dead: dead.n, oldestPendingAt: row.oldest };
  }
}
