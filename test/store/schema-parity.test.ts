/** The SQLite and PostgreSQL schemas must not drift: same tables, same columns, same nullability and defaults-or-not. */
import { getTableColumns, getTableName, is, type Table } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../../src/store/postgres/schema.js';
import * as sqliteSchema from '../../src/store/schema.js';

function describeSchema(mod: Record<string, unknown>, kind: typeof PgTable | typeof SQLiteTable) {
  const tables = Object.values(mod).filter((v): v is Table => is(v, kind));
  return Object.fromEntries(tables.map((t) => [getTableName(t), Object.fromEntries(Object.values(getTableColumns(t))
    .map((c) => [c.name, { notNull: c.notNull, primary: c.primary, hasDefault: c.hasDefault }]))]));
}

describe('schema parity', () => {
  it('both dialects define the same tables and columns, with the same nullability', () => {
    const sqlite = describeSchema(sqliteSchema, SQLiteTable);
    const pg = describeSchema(pgSchema, PgTable);
    expect(Object.keys(sqlite).length).toBeGreaterThanOrEqual(9);
    expect(Object.keys(pg).sort()).toEqual(Object.keys(sqlite).sort());
    for (const table of Object.keys(sqlite)) expect(pg[table], table).toEqual(sqlite[table]);
  });
});
