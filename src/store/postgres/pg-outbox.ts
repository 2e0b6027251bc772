/**
 * The OutboxQueue port on PostgreSQL, for several replicas: a claim takes ready rows with FOR UPDATE SKIP LOCKED and
 * marks them in flight with a lease. A replica that dies holding a claim leaves the lease to expire; another replica
 * then takes the row over, counting the lost attempt so delivery first looks for what may already be in Slack.
 * A lane's head is its oldest open row, in flight or not, so at most one delivery per lane is in flight anywhere.
 */
import { sql } from 'drizzle-orm';
import type { Effect, Target } from '../../app/effects.js';
import type { OutboxItem, OutboxQueue, OutboxStats } from '../../app/ports.js';
import type { PgStore } from './pg-store.js';

const SUPERSEDED = 'superseded by a newer pending delivery';
/**
 * An outcome is written back only while the row is still in flight: a worker whose lease ran out (and whose row another
 * claim finished meanwhile) must not put a done row back to pending, nor bury it, nor apply its outcome twice.
 */
const IN_FLIGHT = sql`state = 'inflight'`;

/** How long a claim is held before another replica may take the row over (ms); longer than any one delivery. */
export const DEFAULT_LEASE_MS = 30_000;

type Row = { id: number; key: string; lane: string | null; effect: Effect; attempts: number; created_at: string; next_attempt_at: string };

/** PostgreSQL outbox for the delivery worker of one replica. */
export class PgOutboxQueue implements OutboxQueue {
  constructor(private readonly store: PgStore, private readonly leaseMs = DEFAULT_LEASE_MS) {}

  /** Nothing to do at start-up: rows another replica (or our previous life) holds come back when their lease expires. */
  async recover(_target?: Target): Promise<number> {
    return 0;
  }

  async claim(now: number, limit: number, target?: Target): Promise<OutboxItem[]> {
    const rows = await this.store.run(async (_tx, db) => {
      const res = await db.execute<Row>(sql`
        WITH ready AS (
          SELECT o.id FROM outbox o
          WHERE ((o.state = 'pending' AND o.next_attempt_at <= ${now}) OR (o.state = 'inflight' AND o.lease_until < ${now}))
            AND (${target ?? null}::text IS NULL OR o.target = ${target ?? null})
            AND (o.lane IS NULL OR NOT EXISTS (
              SELECT 1 FROM outbox p WHERE p.lane = o.lane AND p.state IN ('pending', 'inflight') AND p.id < o.id))
          ORDER BY o.next_attempt_at, o.id LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        UPDATE outbox SET state = 'inflight', lease_until = ${now + this.leaseMs},
          attempts = outbox.attempts + CASE WHEN outbox.state = 'inflight' THEN 1 ELSE 0 END
        FROM ready WHERE outbox.id = ready.id
        RETURNING outbox.id, outbox.key, outbox.lane, outbox.effect, outbox.attempts, outbox.created_at, outbox.next_attempt_at`);
      return res.rows;
    });
    return rows.sort((a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || a.id - b.id)
      .map((r) => ({ id: r.id, key: r.key, lane: r.lane, effect: r.effect, attempts: r.attempts, createdAt: Number(r.created_at) }));
  }

  async complete(id: number, at: number, apply?: Parameters<OutboxQueue['complete']>[2]): Promise<void> {
    await this.store.run(async (tx, db) => {
      const mine = await db.execute(sql`UPDATE outbox SET state = 'done', done_at = ${at}, attempts = attempts + 1, last_error = NULL, lease_until = NULL WHERE id = ${id} AND ${IN_FLIGHT}`);
      if (apply && (mine.rowCount ?? 0) > 0) await apply(tx);
    });
  }

  async retry(id: number, nextAt: number, error: string, countAttempt: boolean): Promise<void> {
    await this.store.run(async (_tx, db) => {
      const superseded = await db.execute(sql`UPDATE outbox SET state = 'done', last_error = ${SUPERSEDED}, lease_until = NULL WHERE id = ${id} AND ${IN_FLIGHT} AND coalesce_key IS NOT NULL
        AND EXISTS (SELECT 1 FROM outbox p WHERE p.coalesce_key = outbox.coalesce_key AND p.state = 'pending' AND p.id <> outbox.id)`);
      if ((superseded.rowCount ?? 0) > 0) return;
      await db.execute(sql`UPDATE outbox SET state = 'pending', next_attempt_at = ${nextAt}, last_error = ${error.slice(0, 500)},
        attempts = attempts + ${countAttempt ? 1 : 0}, lease_until = NULL WHERE id = ${id} AND ${IN_FLIGHT}`);
    });
  }

  async bury(id: number, at: number, error: string): Promise<void> {
    await this.store.run(async (_tx, db) => {
      await db.execute(sql`UPDATE outbox SET state = 'dead', done_at = ${at}, last_error = ${error.slice(0, 500)}, attempts = attempts + 1, lease_until = NULL WHERE id = ${id} AND ${IN_FLIGHT}`);
    });
  }

  async nextReadyAt(target?: Target): Promise<number | null> {
    const res = await this.store.db.execute<{ t: string | null }>(sql`
      SELECT min(CASE WHEN state = 'pending' THEN next_attempt_at ELSE lease_until END) AS t FROM outbox
      WHERE state IN ('pending', 'inflight') AND (${target ?? null}::text IS NULL OR target = ${target ?? null})`);
    const v = res.rows[0]?.t;
    return v === null || v === undefined ? null : Number(v);
  }

  async stats(target?: Target): Promise<OutboxStats> {
    const only = target ?? null;
    const res = await this.store.db.execute<{ pending: string; inflight: string; dead: string; oldest: string | null }>(sql`
      SELECT count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'inflight') AS inflight,
             (SELECT count(*) FROM outbox WHERE state = 'dead' AND (${only}::text IS NULL OR target = ${only})) AS dead,
             min(created_at) AS oldest
      FROM outbox WHERE state IN ('pending', 'inflight') AND (${only}::text IS NULL OR target = ${only})`);
    const r = res.rows[0]!;
    return { pending: Number(r.pending), inflight: Number(r.inflight), dead: Number(r.dead), oldestPendingAt: r.oldest === null ? null : Number(r.oldest) };
  }
}
