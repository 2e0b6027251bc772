import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { SqliteOutboxQueue } from '../../src/store/sqlite-outbox.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('SQLite outbox queue', () => {
  let dir: string;
  let sqlite: Database.Database;
  let store: SqliteStore;
  let queue: SqliteOutboxQueue;
  let incidentId: number;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-outbox-'));
    const opened = openDatabase(path.join(dir, 'db.sqlite'));
    sqlite = opened.sqlite;
    store = new SqliteStore(opened.sqlite, opened.db);
    queue = new SqliteOutboxQueue(store);
    incidentId = (await store.transaction((tx) => tx.incidents.create({
      title: 't', severity: 'SEV3', summary: '', services: [], declaredBy: 'U1', declaredAt: T0, nextUpdateDueAt: null,
    }))).id;
  });
  afterEach(() => {
    sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const states = () => sqlite.prepare('SELECT id, state FROM outbox ORDER BY id').all() as { id: number; state: string }[];
  const refresh = () => store.transaction((tx) => tx.outbox.enqueue({ kind: 'refresh_summary', incidentId }, T0, { coalesceKey: `summary:${incidentId}` }));
  const notice = (n: number) => store.transaction((tx) => tx.outbox.enqueue(
    { kind: 'channel_notice', incidentId, notice: { type: 'snoozed', until: n, by: 'U1' } }, T0, { key: `notice:${n}` }));

  it('coalesces pending refreshes into one row', async () => {
    await refresh();
    await refresh();
    await refresh();
    expect(states()).toHaveLength(1);
  });

  it('a lane only offers its head; later items wait until it is done or buried', async () => {
    await notice(1);
    await notice(2);
    await notice(3);
    const first = await queue.claim(T0, 10);
    expect(first.map((i) => i.key)).toEqual(['notice:1']);
    expect(await queue.claim(T0, 10)).toEqual([]);
    await queue.retry(first[0]!.id, T0 + 1000, 'x', true);
    expect(await queue.claim(T0 + 999, 10)).toEqual([]);
    const again = await queue.claim(T0 + 1000, 10);
    expect(again.map((i) => [i.key, i.attempts])).toEqual([['notice:1', 1]]);
    await queue.bury(again[0]!.id, T0 + 1000, 'permanent');
    expect((await queue.claim(T0 + 1000, 10)).map((i) => i.key)).toEqual(['notice:2']);
    expect(await queue.stats()).toMatchObject({ pending: 1, inflight: 1, dead: 1, oldestPendingAt: T0 });
  });

  it('retrying an in-flight refresh while a newer one is pending does not break the unique coalesce index', async () => {
    await refresh();
    const [item] = await queue.claim(T0, 10);
    expect(item?.effect.kind).toBe('refresh_summary');
    await refresh(); // queued while the first is in flight: a new pending row
    expect(states().map((s) => s.state)).toEqual(['inflight', 'pending']);
    await expect(queue.retry(item!.id, T0 + 500, 'Slack down', true)).resolves.toBeUndefined();
    // Exactly one refresh is still waiting, nothing is stuck in flight.
    const open = states().filter((s) => s.state === 'pending' || s.state === 'inflight');
    expect(open).toHaveLength(1);
    expect(open[0]!.state).toBe('pending');
  });

  it('recover() counts the interrupted delivery as an attempt, so the retry first looks for what Slack may have posted', async () => {
    await notice(1);
    const [item] = await queue.claim(T0, 10);
    expect(item!.attempts).toBe(0);
    expect(await new SqliteOutboxQueue(store).recover()).toBe(1);
    const [again] = await queue.claim(T0, 10);
    expect(again).toMatchObject({ key: 'notice:1', attempts: 1 });
  });

  it('recover() after a crash puts in-flight items back, even with coalesced siblings', async () => {
    await refresh();
    await notice(1);
    // The refresh heads the channel's lane: it alone is claimed, the notice waits behind it.
    const claimed = await queue.claim(T0, 10);
    expect(claimed.map((i) => i.effect.kind)).toEqual(['refresh_summary']);
    await refresh(); // newer pending refresh, queued while the first is in flight
    await refresh(); // coalesces into it
    // simulated crash: nothing completes; a new process recovers
    const queue2 = new SqliteOutboxQueue(store);
    await queue2.recover();
    expect(states().filter((s) => s.state === 'inflight')).toEqual([]);
    // The in-flight refresh gave way to the newer one; the notice, older than that one, goes first.
    const ready = await queue2.claim(T0, 10);
    expect(ready.map((i) => i.key)).toEqual(['notice:1']);
    await queue2.complete(ready[0]!.id, T0);
    const then = await queue2.claim(T0, 10);
    expect(then.map((i) => i.effect.kind)).toEqual(['refresh_summary']);
    expect(states().filter((s) => s.state === 'pending' || s.state === 'inflight')).toHaveLength(1);
  });
});
