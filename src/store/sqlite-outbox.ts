/** The OutboxQueue port on SQLite: claims ready items lane by lane, so per-lane order holds. */
import type Database from 'better-sqlite3';
import type { Effect } from '../app/effects.js';
import type { OutboxItem, OutboxQueue, OutboxStats } from '../app/ports.js';
import type { SqliteStore } from './sqlite-store.js';

const SUPERSEDED = 'superseded by a newer pending delivery';

interface Row { id: number; key: string; lane: string | null; effect: string; attempts: number; created_at: number }

/** SQLite outbox for the delivery worker. */
export class SqliteOutboxQueue implements OutboxQueue {
  private readonly sqlite: Database.Database;

  constructor(private readonly store: SqliteStore) {
    this.sqlite = store.sqlite;
  }

  async recover(): Promise<number> {
    return this.store.transaction(async () => {
      // Coalesced items (one pending row per key) left in flight are superseded by a newer sibling, else re-queued.
      this.sqlite.prepare(`UPDATE outbox SET state = 'done', last_error = '${SUPERSEDED}' WHERE state = 'inflight' AND coalesce_key IS NOT NULL
        AND EXISTS (SELECT 1 FROM outbox p WHERE p.coalesce_key = outbox.coalesce_key AND p.id <> outbox.id AND (p.state = 'pending' OR (p.state = 'inflight' AND p.id > outbox.id)))`).run();
      // A crash mid-delivery is an ambiguous failure: counting it as an attempt makes the retry look for the message first.
      return this.sqlite.prepare(`UPDATE outbox SET state = 'pending', attempts = attempts + 1 WHERE state = 'inflight'`).run().changes;
    });
  }

  async claim(now: number, limit: number): Promise<OutboxItem[]> {
    return this.store.transaction(async () => {
      // A lane's head is its oldest open item; later items wait until it is delivered or buried.
      const rows = this.sqlite.prepare(`
        SELECT o.id, o.key, o.lane, o.effect, o.attempts, o.created_at FROM outbox o
        WHERE o.state = 'pending' AND o.next_attempt_at <= ?
          AND (o.lane IS NULL OR NOT EXISTS (
            SELECT 1 FROM outbox p WHERE p.lane = o.lane AND p.state IN ('pending', 'inflight') AND p.id < o.id))
        ORDER BY o.next_attempt_at, o.id LIMIT ?`).all(now, limit) as Row[];
      const mark = this.sqlite.prepare(`UPDATE outbox SET state = 'inflight' WHERE id = ?`);
      for (const r of rows) mark.run(r.id);
      return rows.map((r) => ({ id: r.id, key: r.key, lane: r.lane, effect: JSON.parse(r.effect) as Effect, attempts: r.attempts, createdAt: r.created_at }));
    });
  }

  async complete(id: number, at: number, apply?: Parameters<OutboxQueue['complete']>[2]): Promise<void> {
    await this.store.transaction(async (tx) => {
      this.sqlite.prepare(`UPDATE outbox SET state = 'done', done_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?`).run(at, id);
      if (apply) await apply(tx);
    });
  }

  async retry(id: number, nextAt: number, error: string, countAttempt: boolean): Promise<void> {
    await this.store.transaction(async () => {
      // A newer pending item with the same coalesce key already carries the latest state: this one is done.
      const superseded = this.sqlite.prepare(`UPDATE outbox SET state = 'done', last_error = '${SUPERSEDED}' WHERE id = ? AND coalesce_key IS NOT NULL
        AND EXISTS (SELECT 1 FROM outbox p WHERE p.coalesce_key = outbox.coalesce_key AND p.state = 'pending' AND p.id <> outbox.id)`).run(id).changes;
      if (superseded > 0) return;
      this.sqlite.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, attempts = attempts + ? WHERE id = ?`)
        .run(nextAt, error.slice(0, 500), countAttempt ? 1 : 0, id);
    });
  }

  async bury(id: number, at: number, error: string): Promise<void> {
    await this.store.transaction(async () => {
      this.sqlite.prepare(`UPDATE outbox SET state = 'dead', done_at = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?`).run(at, error.slice(0, 500), id);
    });
  }

  async nextReadyAt(): Promise<number | null> {
    const row = this.sqlite.prepare(`SELECT min(next_attempt_at) AS t FROM outbox WHERE state = 'pending'`).get() as { t: number | null };
    return row.t;
  }

  async stats(): Promise<OutboxStats> {
    const row = this.sqlite.prepare(`
      SELECT sum(state = 'pending') AS pending, sum(state = 'inflight') AS inflight,
             min(CASE WHEN state IN ('pending', 'inflight') THEN created_at END) AS oldest
      FROM outbox WHERE state IN ('pending', 'inflight')`).get() as { pending: number | null; inflight: number | null; oldest: number | null };
    const dead = this.sqlite.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'dead'`).get() as { n: number };
    return { pending: row.pending ?? 0, inflight: row.inflight ?? 0, dead: dead.n, oldestPendingAt: row.oldest };
  }
}
