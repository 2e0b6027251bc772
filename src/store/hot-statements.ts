/**
 * The hot paths' SQL, prepared once per connection. drizzle's query builder rebuilds the SQL string and
 * better-sqlite3 re-prepares it on every call, which was about a third of the bot's CPU under command load.
 * Reads of whole rows are drizzle's own prepared statements (`.prepare()` with `sql.placeholder()`), so drizzle
 * decodes the rows (JSON columns included) as its `select()` does, through its public API. Statements drizzle cannot
 * express (two ON CONFLICT clauses, UPDATE … RETURNING over a sub-select) and the transaction verbs stay raw; they
 * return only plain integer and text values.
 */
import type Database from 'better-sqlite3';
import { asc, eq, notInArray, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import * as t from './schema.js';

/** A value for a JSON text column: NULL for null/undefined (as drizzle writes them), else its JSON. */
export function jsonParam(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Prepares the hot statements on one connection (after migrations); `db` is drizzle over that same connection. */
export function prepareHotStatements(sqlite: Database.Database, db: Db) {
  return {
    begin: sqlite.prepare('BEGIN IMMEDIATE'),
    commit: sqlite.prepare('COMMIT'),
    rollback: sqlite.prepare('ROLLBACK'),

    incidentById: db.select().from(t.incidents).where(eq(t.incidents.id, sql.placeholder('id'))).prepare(),
    incidentByChannel: db.select().from(t.incidents).where(eq(t.incidents.channelId, sql.placeholder('channelId'))).prepare(),
    incidentsOpen: db.select().from(t.incidents).where(notInArray(t.incidents.status, ['resolved', 'closed'])).orderBy(asc(t.incidents.id)).prepare(),

    timelineAdd: db.insert(t.timelineEntries).values({
      incidentId: sql.placeholder('incidentId'), at: sql.placeholder('at'), kind: sql.placeholder('kind'), actor: sql.placeholder('actor'),
      text: sql.placeholder('text'), sourceTs: sql.placeholder('sourceTs'), permalink: sql.placeholder('permalink'), createdAt: sql.placeholder('createdAt'),
    }).onConflictDoNothing().returning({ id: t.timelineEntries.id }).prepare(),

    // A coalesced effect supersedes the one still waiting under its key: the pending row takes the latest content
    // (keeping its place in its lane and its delivery key); any other conflict (same delivery key) is a no-op.
    outboxEnqueue: sqlite.prepare<[string, string, string | null, number | null, string | null, string | null, number, number]>(
      `INSERT INTO outbox (key, target, lane, incident_id, effect, coalesce_key, state, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
       ON CONFLICT (coalesce_key) WHERE state = 'pending' DO UPDATE SET effect = excluded.effect
       ON CONFLICT DO NOTHING`),

    requestGet: sqlite.prepare<[string], { response: string | null }>(`SELECT response FROM handled_requests WHERE key = ?`),
    requestPut: sqlite.prepare<[string, string | null, number]>(`INSERT INTO handled_requests (key, response, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),

    personGet: db.select().from(t.people).where(eq(t.people.userId, sql.placeholder('userId'))).prepare(),

    // The partial index on pending due times keeps this a range scan whatever the history size.
    remindersClaim: sqlite.prepare<[number, number, number], { id: number; incident_id: number; kind: string; action_item_id: number; due_at: number }>(`
      UPDATE reminders SET state = 'fired', fired_at = ?
      WHERE id IN (SELECT id FROM reminders WHERE state = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?)
      RETURNING id, incident_id, kind, action_item_id, due_at`),
  };
}

/** The prepared hot statements of one connection. */
export type HotStatements = ReturnType<typeof prepareHotStatements>;
