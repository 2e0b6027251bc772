/** Opens the PostgreSQL pool with deliberate limits and applies migrations once across replicas (advisory lock). */
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { migrationsFolder } from '../database.js';
import * as schema from './schema.js';

/** The drizzle handle over the PostgreSQL schema. */
export type PgDb = NodePgDatabase<typeof schema>;

/** Connection limits (DATABASE_POOL_SIZE, DATABASE_STATEMENT_TIMEOUT, DATABASE_CONNECT_TIMEOUT); README "Running several replicas" explains the defaults. */
export interface PoolSettings {
  /** Connections per replica. Transactions are short; 10 keeps 3 replicas at 30, far below max_connections (100). */
  max: number;
  /** Longest any statement may run before PostgreSQL cancels it (ms). */
  statementTimeoutMs: number;
  /** How long to wait for a connection (new or from the pool) before failing the request (ms). */
  connectTimeoutMs: number;
  /** A transaction left idle this long (a stuck process) is ended by the server, releasing its locks (ms). */
  idleInTransactionMs: number;
}

/** Defaults: a lost database is noticed within ~3 s, and nothing waits on it for longer than that. */
export const POOL_DEFAULTS: PoolSettings = { max: 10, statementTimeoutMs: 5000, connectTimeoutMs: 3000, idleInTransactionMs: 15_000 };

/** Lock id for migrations: any constant shared by every replica ("incident" in ASCII). */
const MIGRATION_LOCK = 0x696e6369;

/** True for `postgres://` and `postgresql://` URLs. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** A pool over `url`; errors of its connections (the server went away) are reported, never thrown. */
export function openPool(url: string, settings: Partial<PoolSettings> = {}, onIdleError: (err: Error) => void = () => undefined): pg.Pool {
  const s = { ...POOL_DEFAULTS, ...settings };
  const pool = new pg.Pool({
    connectionString: url,
    max: s.max,
    connectionTimeoutMillis: s.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: s.statementTimeoutMs,
    // The client gives up a little after the server would have, so a dead connection cannot hang a request.
    query_timeout: s.statementTimeoutMs + 1000,
    idle_in_transaction_session_timeout: s.idleInTransactionMs,
    keepAlive: true,
    application_name: 'incident-bot',
  });
  pool.on('error', onIdleError);
  // A connection in use when the server goes away also emits 'error' (between a transaction's statements, say):
  // without a listener that would end the process. The statement in progress fails on its own; the pool drops the client.
  pool.on('connect', (client) => { client.on('error', onIdleError); });
  return pool;
}

/** The drizzle handle over a pool. */
export function pgDrizzle(pool: pg.Pool): PgDb {
  return drizzle(pool, { schema });
}

/** Applies pending migrations. Replicas starting together queue on an advisory lock: one migrates, the others then find nothing to do. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    // Migrations may legitimately take longer than a request's statement timeout.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder: migrationsFolder('postgres') });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    // Closed, not returned: with the session-wide SET above it would serve requests with no statement timeout at
    // all (closing also frees the advisory lock if the unlock failed).
    client.release(true);
  }
}
