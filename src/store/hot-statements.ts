/**
 * The hot paths' SQL, prepared once per connection. drizzle's query builder rebuilds the SQL string and
 * better-sqlite3 re-prepares it on every call, which was about a third of the bot's CPU under command load.
 * Rows come back in drizzle's shape (property names, JSON columns decoded), so rows.ts maps them as before.
 */
import type Database from 'better-sqlite3';
import { getTableColumns, type Table } from 'drizzle-orm';
import * as t from './schema.js';

// Column types whose driver value is the JS value (integer, text) or JSON text; anything else would need its own decoder.
const PLAIN_COLUMNS = new Set(['SQLiteInteger', 'SQLiteText']);
const JSON_COLUMN = 'SQLiteTextJson';

/** Reads a table's rows through raw statements, shaped like drizzle's `select()` of that table. */
class RowShape<T extends Table> {
  /** `"channel_id" AS "channelId", …` for every column, in schema order. */
  readonly columns: string;
  private readonly json: string[];

  constructor(table: T) {
    const entries = Object.entries(getTableColumns(table)) as [string, { name: string; columnType: string }][];
    for (const [key, c] of entries) {
      if (!PLAIN_COLUMNS.has(c.columnType) && c.columnType !== JSON_COLUMN) throw new Error(`hot statements: no decoder for column ${key} (${c.columnType})`);
    }
    this.columns = entries.map(([key, c]) => `"${c.name}" AS "${key}"`).join(', ');
    this.json = entries.filter(([, c]) => c.columnType === JSON_COLUMN).map(([key]) => key);
  }

  /** Decodes a raw row in place (JSON columns parsed, as drizzle's JSON mode does); undefined stays undefined. */
  decode(row: unknown): T['$inferSelect'] | undefined {
    if (row === undefined) return undefined;
    const r = row as Record<string, unknown>;
    for (const key of this.json) {
      const v = r[key];
      if (v !== null && v !== undefined) r[key] = JSON.parse(v as string);
    }
    return r as T['$inferSelect'];
  }
}

/** A value for a JSON text column: NULL for null/undefined (as drizzle writes them), else its JSON. */
export function jsonParam(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Row shapes of the tables read through hot statements. */
export const shapes = {
  incidents: new RowShape(t.incidents),
};

/** Prepares the hot statements on one connection (after migrations). */
export function prepareHotStatements(sqlite: Database.Database) {
  const incident = shapes.incidents.columns;
  return {
    begin: sqlite.prepare('BEGIN IMMEDIATE'),
    commit: sqlite.prepare('COMMIT'),
    rollback: sqlite.prepare('ROLLBACK'),

    incidentById: sqlite.prepare<[number]>(`SELECT ${incident} FROM incidents WHERE id = ?`),
    incidentByChannel: sqlite.prepare<[string]>(`SELECT ${incident} FROM incidents WHERE channel_id = ?`),
    incidentsOpen: sqlite.prepare<[]>(`SELECT ${incident} FROM incidents WHERE status NOT IN ('resolved', 'closed') ORDER BY id ASC`),

    timelineAdd: sqlite.prepare<[number, number, string, string | null, string, string | null, string | null, number], { id: number }>(
      `INSERT INTO timeline_entries (incident_id, at, kind, actor, text, source_ts, permalink, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`),

    // A coalesced effect supersedes the one still waiting under its key: the pending row takes the latest content
    // (keeping its place in its lane and its delivery key); any other conflict (same delivery key) is a no-op.
    outboxEnqueue: sqlite.prepare<[string, string, string | null, number | null, string | null, string | null, number, number]>(
      `INSERT INTO outbox (key, target, lane, incident_id, effect, coalesce_key, state, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
       ON CONFLICT (coalesce_key) WHERE state = 'pending' DO UPDATE SET effect = excluded.effect
       ON CONFLICT DO NOTHING`),

    requestGet: sqlite.prepare<[string], { response: string | null }>(`SELECT response FROM handled_requests WHERE key = ?`),
    requestPut: sqlite.prepare<[string, string | null, number]>(`INSERT INTO handled_requests (key, response, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),

    personGet: sqlite.prepare<[string], { userId: string; name: string; tz: string | null; tzOffsetSec: number | null; fetchedAt: number }>(
      `SELECT user_id AS userId, name, tz, tz_offset_sec AS tzOffsetSec, fetched_at AS fetchedAt FROM people WHERE user_id = ?`),

    // The partial index on pending due times keeps this a range scan whatever the history size.
    remindersClaim: sqlite.prepare<[number, number, number], { id: number; incident_id: number; kind: string; action_item_id: number; due_at: number }>(`
      UPDATE reminders SET state = 'fired', fired_at = ?
      WHERE id IN (SELECT id FROM reminders WHERE state = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?)
      RETURNING id, incident_id, kind, action_item_id, due_at`),
  };
}

/** The prepared hot statements of one connection. */
export type HotStatements = ReturnType<typeof prepareHotStatements>;
