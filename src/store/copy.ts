/** Copies a SQLite database into an empty PostgreSQL one: every table, ids kept, sequences moved past them, row counts checked. */
import { getTableName, is, sql, type Table } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { OpenedStore } from './open-store.js';
import * as pgSchema from './postgres/schema.js';
import * as sqliteSchema from './schema.js';

/** Rows per INSERT: well under PostgreSQL's 65535 bound parameters for the widest table. */
const BATCH = 500;

/** Row counts per table, source and target. */
export type CopyReport = { table: string; rows: number }[];

const tablesOf = <T extends Table>(mod: Record<string, unknown>, kind: typeof PgTable | typeof SQLiteTable) =>
  new Map(Object.values(mod).filter((v): v is T => is(v, kind)).map((t) => [getTableName(t), t]));

/** Parents before children, so foreign keys hold while rows go in. */
function ordered(names: string[]): string[] {
  return [...names].sort((a, b) => (a === 'incidents' ? -1 : b === 'incidents' ? 1 : a.localeCompare(b)));
}

/** Copies everything from `from` (SQLite) into `to` (PostgreSQL, migrated); refuses a target that already holds incidents. */
export async function copySqliteToPostgres(from: OpenedStore, to: OpenedStore): Promise<CopyReport> {
  if (!from.sqlite) throw new Error('--from must be a SQLite database (file:… or a path)');
  if (!to.pg) throw new Error('--to must be a PostgreSQL database (postgres://…)');
  const source = tablesOf<Table>(sqliteSchema, SQLiteTable);
  const target = tablesOf<Table>(pgSchema, PgTable);
  for (const name of source.keys()) if (!target.has(name)) throw new Error(`table ${name} has no PostgreSQL counterpart; the schemas are out of step`);
  const pgStore = to.pg;
  const existing = await pgStore.pool.query('SELECT count(*)::int AS n FROM incidents');
  if (existing.rows[0].n > 0) throw new Error(`the target already holds ${existing.rows[0].n} incidents; copy only into an empty database`);

  const sqliteDb = (from.store as unknown as { db: { select(): { from(t: Table): { all(): Record<string, unknown>[] } } } }).db;
  const report: CopyReport = [];
  await pgStore.db.transaction(async (tx) => {
    // Writers elsewhere must not slip rows in while we copy.
    await tx.execute(sql`LOCK TABLE incidents IN EXCLUSIVE MODE`);
    for (const name of ordered([...source.keys()])) {
      const rows = sqliteDb.select().from(source.get(name)!).all();
      const table = target.get(name)! as PgTable;
      for (let i = 0; i < rows.length; i += BATCH) await tx.insert(table).values(rows.slice(i, i + BATCH));
      if ('id' in (table as unknown as Record<string, unknown>)) {
        // Identity columns do not see explicit ids: move each sequence past the copied ones, so numbers are never reused.
        await tx.execute(sql.raw(`SELECT setval(pg_get_serial_sequence('"${name}"', 'id'), GREATEST((SELECT max(id) FROM "${name}"), 1), (SELECT max(id) FROM "${name}") IS NOT NULL)`));
      }
      report.push({ table: name, rows: rows.length });
    }
  });
  for (const { table, rows } of report) {
    const n = (await pgStore.pool.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n as number;
    if (n !== rows) throw new Error(`row count of ${table} differs after the copy: ${rows} in the source, ${n} in the target`);
  }
  return report;
}
