/** Prunes bookkeeping that is only needed for a while (delivered outbox rows, handled request keys), so the database stays small. */
import type Database from 'better-sqlite3';

/** How long delivered outbox rows are kept (for inspection) and request keys are remembered (for retries). */
export const RETENTION = { deliveredMs: 7 * 86_400_000, requestKeysMs: 2 * 86_400_000 } as const;

/** Deletes delivered outbox rows and request keys older than the retention; returns how many rows went. */
export function pruneOld(sqlite: Database.Database, now: number): number {
  const outbox = sqlite.prepare(`DELETE FROM outbox WHERE state = 'done' AND done_at < ?`).run(now - RETENTION.deliveredMs).changes;
  // Keys that guard a declaration's one-time reply are tiny and rare; only request keys older than any retry window go.
  const keys = sqlite.prepare(`DELETE FROM handled_requests WHERE created_at < ?`).run(now - RETENTION.requestKeysMs).changes;
  return outbox + keys;
}
