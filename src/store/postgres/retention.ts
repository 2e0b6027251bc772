/** Retention on PostgreSQL: the same rules as SQLite (../retention.ts). */
import { sql } from 'drizzle-orm';
import { RETENTION } from '../retention.js';
import type { PgStore } from './pg-store.js';

/** Deletes delivered outbox rows and request keys past their retention; returns how many rows went. */
export async function prunePostgres(store: PgStore, now: number): Promise<number> {
  return store.run(async (_tx, db) => {
    const a = await db.execute(sql`DELETE FROM outbox WHERE state = 'done' AND done_at < ${now - RETENTION.deliveredMs}`);
    const b = await db.execute(sql`DELETE FROM handled_requests WHERE created_at < ${now - RETENTION.requestKeysMs}`);
    return (a.rowCount ?? 0) + (b.rowCount ?? 0);
  });
}
