/** Which store the end-to-end tests run the bot on (SQLite by default, PostgreSQL when E2E_STORE=postgres: the `e2e-postgres` vitest project), and how they read what no store port shows. */
import pg from 'pg';
import { type OpenedStore, openStore } from '../../src/store/open-store.js';

let seq = 0;

/** A fresh PostgreSQL database URL on the run's cluster, or null when the harness should use SQLite. */
export async function e2eDatabaseUrl(): Promise<string | null> {
  if (process.env.E2E_STORE !== 'postgres') return null;
  // Imported here, so the harness also loads outside vitest (the benchmarks use it).
  const { inject } = await import('vitest');
  const admin = inject('pgAdminUrl');
  if (!admin) throw new Error('E2E_STORE=postgres but no PostgreSQL cluster was started (binaries missing?)');
  const name = `e2e_${process.pid}_${++seq}_${Date.now() % 100000}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return admin.replace(/\/postgres$/, `/${name}`);
}

/** The database a test's own bot process uses: a fresh PostgreSQL database on the run's cluster, or the SQLite `file`. */
export async function e2eDatabaseUrlOr(file: string): Promise<string> {
  return (await e2eDatabaseUrl()) ?? `file:${file}`;
}

/** What a test can reach of a bot's database beside its store ports: the SQLite connection or the PostgreSQL pool. */
export interface BotDatabase {
  sqlite: { prepare(sql: string): { all(): unknown[] } } | null;
  pg: { pool: pg.Pool } | null;
}

/**
 * Runs one SQL statement on the bot's own database, SQLite or PostgreSQL, for what no store port reads (outbox
 * internals, every table's size). Write it in the SQL both dialects share; counts come back as numbers.
 */
export async function rawRows<T = Record<string, unknown>>(bot: BotDatabase, sql: string): Promise<T[]> {
  if (bot.pg) return (await bot.pg.pool.query(sql)).rows as T[];
  return bot.sqlite!.prepare(sql).all() as T[];
}

/** A row of the outbox as a test inspects it (effect parsed). */
export interface OutboxRow {
  id: number;
  lane: string | null;
  state: string;
  attempts: number;
  lastError: string | null;
  effect: { kind: string } & Record<string, unknown>;
}

/** Every outbox row, oldest first, on either store. */
export async function outboxRows(bot: BotDatabase): Promise<OutboxRow[]> {
  const rows = await rawRows<{ id: number | string; lane: string | null; state: string; attempts: number; last_error: string | null; effect: unknown }>(bot, 'SELECT id, lane, state, attempts, last_error, effect FROM outbox ORDER BY id');
  return rows.map((r) => ({
    id: Number(r.id), lane: r.lane, state: r.state, attempts: Number(r.attempts), lastError: r.last_error,
    effect: (typeof r.effect === 'string' ? JSON.parse(r.effect) : r.effect) as OutboxRow['effect'],
  }));
}

/** Row count of every table of the bot's schema (migration bookkeeping left out), on either store. */
export async function tableSizes(bot: BotDatabase): Promise<Record<string, number>> {
  const tables = bot.pg
    ? await rawRows<{ name: string }>(bot, `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
    : await rawRows<{ name: string }>(bot, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name`);
  const sizes: Record<string, number> = {};
  for (const { name } of tables) sizes[name] = Number((await rawRows<{ n: number | string }>(bot, `SELECT count(*) AS n FROM "${name}"`))[0]!.n);
  return sizes;
}

/** Opens the store at `url` (a bot process's database, SQLite or PostgreSQL) for `fn` to read through its ports, then closes it. */
export async function withStore<T>(url: string, fn: (opened: OpenedStore) => Promise<T>): Promise<T> {
  const opened = openStore(url);
  try {
    await opened.ready();
    return await fn(opened);
  } finally {
    await opened.close();
  }
}
