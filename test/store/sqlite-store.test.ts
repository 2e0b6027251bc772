import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, openDatabase } from '../../src/store/database.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('SQLite store', () => {
  let dir: string;
  let sqlite: Database.Database;
  let store: SqliteStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-store-'));
    const opened = openDatabase(path.join(dir, 'nested', 'incidents.db'));
    sqlite = opened.sqlite;
    store = new SqliteStore(opened.sqlite, opened.db);
  });
  afterEach(() => {
    if (sqlite.open) sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const newIncident = (title = 'DB down') => ({
    title, severity: 'SEV2' as const, summary: '', services: [], declaredBy: 'U1', declaredAt: T0, nextUpdateDueAt: null,
  });

  it('runs as a serious database: WAL, a short blocking busy timeout (the store waits for the lock asynchronously), foreign keys, folder created', () => {
    expect(String(sqlite.pragma('journal_mode', { simple: true })).toLowerCase()).toBe('wal');
    const busy = Number(sqlite.pragma('busy_timeout', { simple: true }));
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThanOrEqual(50);
    expect(Number(sqlite.pragma('foreign_keys', { simple: true }))).toBe(1);
    expect(fs.existsSync(path.join(dir, 'nested', 'incidents.db'))).toBe(true);
    // Foreign keys are enforced, not just declared.
    expect(() => sqlite.prepare(`INSERT INTO timeline_entries (incident_id, at, kind, text, created_at) VALUES (999, 1, 'log', 'x', 1)`).run()).toThrow(/FOREIGN KEY/);
  });

  it('rolls back every write of a failed transaction, outbox included, and notifies no one', async () => {
    let commits = 0;
    store.onCommit(() => { commits++; });
    await expect(store.transaction(async (tx) => {
      const inc = await tx.incidents.create(newIncident());
      await tx.timeline.add({ incidentId: inc.id, at: T0, kind: 'declared', actor: 'U1', text: 'declared' }, T0);
      await tx.roles.assign(inc.id, 'ic', 'U2', 'U1', T0);
      await tx.reminders.schedule(inc.id, 'update', T0 + 60_000);
      await tx.outbox.enqueue({ kind: 'create_channel', incidentId: inc.id, replyTo: { userId: 'U1', responseUrl: null } }, T0, { key: `create_channel:${inc.id}` });
      await tx.requests.put('declare:trigger-1', { incidentId: inc.id }, T0);
      throw new Error('boom after half the work');
    })).rejects.toThrow('boom');
    for (const table of ['incidents', 'timeline_entries', 'role_assignments', 'reminders', 'outbox', 'handled_requests']) expect(count(table), table).toBe(0);
    expect(commits).toBe(0);
    expect(sqlite.inTransaction).toBe(false);

    // The store is still usable and commits normally afterwards.
    await store.transaction(async (tx) => {
      const inc = await tx.incidents.create(newIncident('after'));
      await tx.outbox.enqueue({ kind: 'create_channel', incidentId: inc.id, replyTo: { userId: 'U1', responseUrl: null } }, T0, { key: `create_channel:${inc.id}` });
    });
    expect(count('incidents')).toBe(1);
    expect(count('outbox')).toBe(1);
    expect(commits).toBe(1);
  });

  it('rolls back when a constraint fails mid-transaction (foreign key)', async () => {
    await expect(store.transaction(async (tx) => {
      await tx.incidents.create(newIncident());
      await tx.timeline.add({ incidentId: 4242, at: T0, kind: 'log', actor: 'U1', text: 'orphan' }, T0);
    })).rejects.toThrow(/FOREIGN KEY/);
    expect(count('incidents')).toBe(0);
    expect(count('timeline_entries')).toBe(0);
  });

  it('serializes concurrent transactions: interleaved async work never mixes or loses writes', async () => {
    const inc = await store.transaction((tx) => tx.incidents.create(newIncident()));
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => store.transaction(async (tx) => {
      await tx.timeline.add({ incidentId: inc.id, at: T0 + i, kind: 'log', actor: 'U1', text: `entry ${i}` }, T0);
      await new Promise((r) => setTimeout(r, i % 3)); // yield inside the transaction
      if (i % 5 === 0) throw new Error(`fail ${i}`);
      await tx.timeline.add({ incidentId: inc.id, at: T0 + i, kind: 'log', actor: 'U1', text: `entry ${i} second half` }, T0);
    })));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(8);
    const texts = (await store.timeline.list(inc.id)).map((e) => e.text);
    expect(texts).toHaveLength(64); // 32 successful transactions × 2 rows, nothing of the 8 failed ones
    for (let i = 0; i < 40; i++) {
      const expected = i % 5 === 0 ? 0 : 1;
      expect(texts.filter((t) => t === `entry ${i}`)).toHaveLength(expected);
      expect(texts.filter((t) => t === `entry ${i} second half`)).toHaveLength(expected);
    }
  });

  it('outbox keys and request keys are idempotent', async () => {
    const inc = await store.transaction((tx) => tx.incidents.create(newIncident()));
    for (let i = 0; i < 3; i++) {
      await store.transaction(async (tx) => {
        await tx.outbox.enqueue({ kind: 'post_summary', incidentId: inc.id }, T0, { key: `post_summary:${inc.id}` });
        await tx.requests.put('k', { n: i }, T0);
      });
    }
    expect(count('outbox')).toBe(1);
    expect(await store.requests.get('k')).toEqual({ n: 0 });
    expect(await store.requests.get('missing')).toBeUndefined();
  });

  it('backupDatabase writes a readable, consistent copy while the database is open, and refuses to overwrite', async () => {
    await store.transaction(async (tx) => {
      const inc = await tx.incidents.create(newIncident('Backed up'));
      await tx.timeline.add({ incidentId: inc.id, at: T0, kind: 'log', actor: 'U1', text: 'in the backup' }, T0);
    });
    const target = path.join(dir, 'backups', 'copy.db');
    backupDatabase(sqlite, target);
    // Writes after the backup are not in it.
    await store.transaction((tx) => tx.incidents.create(newIncident('After backup')));

    const copy = new Database(target, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT title FROM incidents ORDER BY id').all()).toEqual([{ title: 'Backed up' }]);
      expect(copy.prepare('SELECT text FROM timeline_entries').all()).toEqual([{ text: 'in the backup' }]);
    } finally {
      copy.close();
    }
    // The copy opens as a full store (migrations already applied) and answers.
    const reopened = openDatabase(target);
    try {
      const s2 = new SqliteStore(reopened.sqlite, reopened.db);
      expect(await s2.ping()).toBe(true);
      expect((await s2.incidents.get(1))?.title).toBe('Backed up');
    } finally {
      reopened.sqlite.close();
    }
    expect(() => backupDatabase(sqlite, target)).toThrow(/already exists/);
  });

  it('ping answers false once the database is gone', async () => {
    expect(await store.ping()).toBe(true);
    sqlite.close();
    expect(await store.ping()).toBe(false);
  });
});
