/** Picks the store from DATABASE_URL: `postgres://…` → PostgreSQL (replicas), a `file:` URL or path → SQLite (one process). */
import type Database from 'better-sqlite3';
import type { OutboxQueue, Store } from '../app/ports.js';
import { openDatabase } from './database.js';
import { pruneOld } from './retention.js';
import { SqliteOutboxQueue } from './sqlite-outbox.js';
import { SqliteStore } from './sqlite-store.js';
import { isPostgresUrl, migratePostgres, openPool, pgDrizzle, type PoolSettings } from './postgres/database.js';
import { DEFAULT_LEASE_MS, PgOutboxQueue } from './postgres/pg-outbox.js';
import { PgStore } from './postgres/pg-store.js';
import { prunePostgres } from './postgres/retention.js';

/** A store that can wake this process's outbox worker after commits that queued work. */
export type CommitAwareStore = Store & { onCommit(listener: () => void): void };

/** An opened store with its outbox queue and lifecycle. */
export interface OpenedStore {
  dialect: 'sqlite' | 'postgres';
  store: CommitAwareStore;
  queue: OutboxQueue;
  /** Applies migrations (PostgreSQL: once across replicas, retried while the server is not reachable yet). */
  ready(): Promise<void>;
  /** Deletes bookkeeping past its retention; returns how many rows went. */
  prune(now: number): Promise<number>;
  close(): Promise<void>;
  /** The SQLite connection (backups, tests); null on PostgreSQL. */
  sqlite: Database.Database | null;
  /** The PostgreSQL store (tests, db:copy); null on SQLite. */
  pg: PgStore | null;
}

/** Tuning of the PostgreSQL store. */
export interface StoreOptions {
  /** Outbox claim lease (ms). */
  leaseMs?: number;
  pool?: Partial<PoolSettings>;
  /** Called with errors of idle pooled connections (the server went away); they never crash the process. */
  onConnectionError?: (err: Error) => void;
  /** Start-up waits this long for PostgreSQL to become reachable (ms). */
  startupWaitMs?: number;
}

/** Opens the store named by `url` (a `file:` URL, a path, or a postgres:// URL). SQLite is migrated at once. */
export function openStore(url: string, options: StoreOptions = {}): OpenedStore {
  if (isPostgresUrl(url)) {
    const pool = openPool(url, options.pool, options.onConnectionError);
    const store = new PgStore(pool, pgDrizzle(pool));
    return {
      dialect: 'postgres', store, queue: new PgOutboxQueue(store, options.leaseMs ?? DEFAULT_LEASE_MS), sqlite: null, pg: store,
      async ready() {
        const deadline = Date.now() + (options.startupWaitMs ?? 60_000);
        for (;;) {
          try {
            return await migratePostgres(pool);
          } catch (err) {
            if (Date.now() > deadline) throw err;
            options.onConnectionError?.(err as Error);
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      },
      prune: (now) => prunePostgres(store, now),
      close: () => pool.end(),
    };
  }
  const { sqlite, db } = openDatabase(url.replace(/^(file|sqlite):(\/\/)?/, ''));
  const store = new SqliteStore(sqlite, db);
  return {
    dialect: 'sqlite', store, queue: new SqliteOutboxQueue(store), sqlite, pg: null,
    async ready() { /* migrated on open */ },
    async prune(now) { return pruneOld(sqlite, now); },
    async close() { sqlite.close(); },
  };
}
