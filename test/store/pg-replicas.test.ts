/** What only PostgreSQL replicas need: migrations once behind a lock, claim leases, lane order by commit, losing the server. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../src/store/open-store.js';
import { type PgCluster, postgresAvailable, startPostgres } from '../support/postgres.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const newIncident = { title: 't', severity: 'SEV2' as const, summary: '', services: [], declaredBy: 'U1', declaredAt: T0, nextUpdateDueAt: null };

describe.skipIf(!postgresAvailable)('PostgreSQL replicas', () => {
  let cluster: PgCluster;
  let url: string;
  const opened: OpenedStore[] = [];
  const replica = (leaseMs = 1000) => {
    const o = openStore(url, { leaseMs, pool: { connectTimeoutMs: 1000 }, startupWaitMs: 5000 });
    opened.push(o);
    return o;
  };

  beforeAll(async () => { cluster = await startPostgres(); }, 60_000);
  afterAll(async () => { await cluster?.stop(); });
  beforeEach(async () => { url = await cluster.createDatabase(); });
  afterEach(async () => { for (const o of opened.splice(0)) await o.close().catch(() => undefined); });

  it('replicas starting together apply the migrations once, behind the lock, and all start', async () => {
    const replicas = [replica(), replica(), replica()];
    await Promise.all(replicas.map((r) => r.ready()));
    const applied = await replicas[0]!.pg!.pool.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    expect(applied.rows[0].n).toBeGreaterThanOrEqual(1);
    const journal = (await import('../../migrations/postgres/meta/_journal.json', { with: { type: 'json' } })).default as { entries: unknown[] };
    expect(applied.rows[0].n).toBe(journal.entries.length);
    for (const r of replicas) expect(await r.store.ping()).toBe(true);
  });

  it('a claim held by a replica that died is taken over once its lease expires, as a retry that looks first', async () => {
    const [a, b] = [replica(5000), replica(5000)];
    await Promise.all([a.ready(), b.ready()]);
    const inc = await a.store.transaction((tx) => tx.incidents.create(newIncident));
    await a.store.transaction(async (tx) => {
      await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: inc.id, notice: { type: 'snoozed', until: 1, by: 'U1' } }, T0, { key: 'n1' });
      await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: inc.id, notice: { type: 'snoozed', until: 2, by: 'U1' } }, T0, { key: 'n2' });
    });
    const [held] = await a.queue.claim(T0, 10);
    expect(held).toMatchObject({ key: 'n1', attempts: 0 });
    // a "dies" here. Until the lease runs out, nobody else may deliver n1, nor n2 behind it.
    expect(await b.queue.claim(T0 + 4999, 10)).toEqual([]);
    const [taken] = await b.queue.claim(T0 + 5001, 10);
    expect(taken).toMatchObject({ key: 'n1', attempts: 1 });
    expect(await a.queue.claim(T0 + 5002, 10)).toEqual([]);
    await b.queue.complete(taken!.id, T0 + 5003);
    expect((await a.queue.claim(T0 + 5004, 10)).map((i) => i.key)).toEqual(['n2']);
    // The worker sleeps until the earliest of ready time and lease expiry.
    expect(await a.queue.nextReadyAt()).toBe(T0 + 5004 + 5000);
  });

  it('within a lane, ids follow commit order even when transactions on two replicas overlap', async () => {
    const [a, b] = [replica(), replica()];
    await Promise.all([a.ready(), b.ready()]);
    const inc = await a.store.transaction((tx) => tx.incidents.create(newIncident));
    const order: string[] = [];
    let releaseA!: () => void;
    const aHolds = new Promise<void>((r) => { releaseA = r; });
    let aQueued!: () => void;
    const aHasQueued = new Promise<void>((r) => { aQueued = r; });
    const first = a.store.transaction(async (tx) => {
      await tx.outbox.enqueue({ kind: 'announce', incidentId: inc.id, announcement: { type: 'declared' } }, T0, { key: 'first' });
      aQueued();
      await aHolds;
    }).then(() => order.push('first'));
    await aHasQueued;
    const second = b.store.transaction(async (tx) => {
      await tx.outbox.enqueue({ kind: 'announce', incidentId: inc.id, announcement: { type: 'declared' } }, T0, { key: 'second' });
    }).then(() => order.push('second'));
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual([]); // the second waits for the lane, not just for a row lock
    releaseA();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    const rows = await a.pg!.pool.query(`SELECT key FROM outbox WHERE lane = 'announce' ORDER BY id`);
    expect(rows.rows.map((r: { key: string }) => r.key)).toEqual(['first', 'second']);
  });

  it('losing the server: ping is false within seconds, writes fail fast and clearly, and it all works again after', async () => {
    const r = replica();
    await r.ready();
    await r.store.transaction((tx) => tx.incidents.create(newIncident));
    cluster.pause();
    try {
      const started = Date.now();
      expect(await r.store.ping()).toBe(false);
      expect(Date.now() - started).toBeLessThan(3000);
      const t = Date.now();
      await expect(r.store.transaction((tx) => tx.incidents.create(newIncident))).rejects.toThrow(/database cannot be reached right now, so nothing was changed/);
      await expect(r.store.incidents.get(1)).rejects.toThrow(/cannot be reached/);
      expect(Date.now() - t).toBeLessThan(5000);
    } finally {
      cluster.resume();
    }
    const deadline = Date.now() + 10_000;
    while (!(await r.store.ping()) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
    expect(await r.store.ping()).toBe(true);
    const inc = await r.store.transaction((tx) => tx.incidents.create(newIncident));
    expect(inc.id).toBeGreaterThan(1);
  });
});
