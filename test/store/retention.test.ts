import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { RETENTION, pruneOld } from '../../src/store/retention.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

describe('retention', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

  it('prunes only delivered outbox rows and request keys older than the retention', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-'));
    dirs.push(dir);
    const { sqlite, db } = openDatabase(path.join(dir, 'x.db'));
    const store = new SqliteStore(sqlite, db);
    const now = 1_800_000_000_000;
    const old = now - RETENTION.deliveredMs - 1;
    await store.transaction(async (tx) => {
      await tx.outbox.enqueue({ kind: 'refresh_summary', incidentId: 1 }, old, { key: 'old-done' });
      await tx.outbox.enqueue({ kind: 'refresh_summary', incidentId: 1 }, old, { key: 'old-pending' });
      await tx.outbox.enqueue({ kind: 'refresh_summary', incidentId: 1 }, now, { key: 'new-done' });
      await tx.requests.put('old-key', { incidentId: 1 }, now - RETENTION.requestKeysMs - 1);
      await tx.requests.put('new-key', { incidentId: 2 }, now);
    });
    sqlite.prepare(`UPDATE outbox SET state = 'done', done_at = created_at WHERE key IN ('old-done', 'new-done')`).run();
    expect(pruneOld(sqlite, now)).toBe(2);
    const keys = (sqlite.prepare('SELECT key FROM outbox ORDER BY key').all() as { key: string }[]).map((r) => r.key);
    expect(keys).toEqual(['new-done', 'old-pending']);
    expect(await store.requests.get('old-key')).toBeUndefined();
    expect(await store.requests.get('new-key')).toEqual({ incidentId: 2 });
    sqlite.close();
  });
});
