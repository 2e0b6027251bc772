/** The Store and OutboxQueue ports' contract, run against both adapters: SQLite (a temp file) and PostgreSQL (a throwaway cluster). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { declareIncident } from '../../src/app/declare-incident.js';
import { fireDueReminders } from '../../src/app/fire-reminders.js';
import { logEntry } from '../../src/app/log-event.js';
import type { Policy } from '../../src/app/context.js';
import { openStore, type OpenedStore } from '../../src/store/open-store.js';
import { type PgCluster, postgresAvailable, startPostgres } from '../support/postgres.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const newIncident = (title = 'DB down') => ({ title, severity: 'SEV2' as const, summary: '', services: ['api'], declaredBy: 'U1', declaredAt: T0, nextUpdateDueAt: null });
const policy: Policy = { cadence: { SEV1: 60_000, SEV2: 60_000, SEV3: 60_000, SEV4: null }, escalateAfterMissed: 2, postmortemDueMs: null, hasAnnounceChannel: true };

interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, migrated database. */
  open(): Promise<{ url: string; opened: OpenedStore }>;
}

let cluster: PgCluster | undefined;
const backends: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const url = `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'incident-contract-')), 'db.sqlite')}`;
      const opened = openStore(url);
      await opened.ready();
      return { url, opened };
    },
  },
  {
    name: 'postgres',
    async open() {
      const url = await cluster!.createDatabase();
      const opened = openStore(url, { leaseMs: 1000 });
      await opened.ready();
      return { url, opened };
    },
  },
];

beforeAll(async () => { if (postgresAvailable) cluster = await startPostgres(); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

/** Row count of a table, through whichever connection the adapter has. */
async function count(o: OpenedStore, table: string): Promise<number> {
  if (o.sqlite) return (o.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return Number((await o.pg!.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
}

for (const backend of backends) {
  describe.skipIf(backend.name === 'postgres' && !postgresAvailable)(`Store contract on ${backend.name}`, () => {
    let o: OpenedStore;
    let url: string;
    const extra: OpenedStore[] = [];
    /** Another replica on the same database. SQLite is one process: its "replica" is the same store, whose transactions queue. */
    const twin = async () => {
      if (backend.name === 'sqlite') return o;
      const t = openStore(url, { leaseMs: 1000 });
      await t.ready();
      extra.push(t);
      return t;
    };
    beforeEach(async () => { ({ url, opened: o } = await backend.open()); });
    afterEach(async () => {
      for (const t of extra.splice(0)) await t.close();
      await o.close();
    });

    it('rolls back every write of a failed transaction, outbox included, and notifies no one', async () => {
      let commits = 0;
      o.store.onCommit(() => { commits++; });
      await expect(o.store.transaction(async (tx) => {
        const inc = await tx.incidents.create(newIncident());
        await tx.timeline.add({ incidentId: inc.id, at: T0, kind: 'declared', actor: 'U1', text: 'declared' }, T0);
        await tx.roles.assign(inc.id, 'ic', 'U2', 'U1', T0);
        await tx.reminders.schedule(inc.id, 'update', T0 + 60_000);
        await tx.outbox.enqueue({ kind: 'create_channel', incidentId: inc.id, replyTo: { userId: 'U1', responseUrl: null } }, T0, { key: `create_channel:${inc.id}` });
        await tx.requests.put('declare:trigger-1', { incidentId: inc.id }, T0);
        throw new Error('boom after half the work');
      })).rejects.toThrow('boom');
      for (const table of ['incidents', 'timeline_entries', 'role_assignments', 'reminders', 'outbox', 'handled_requests']) expect(await count(o, table), table).toBe(0);
      expect(commits).toBe(0);
      await o.store.transaction(async (tx) => {
        const inc = await tx.incidents.create(newIncident('after'));
        await tx.outbox.enqueue({ kind: 'create_channel', incidentId: inc.id, replyTo: { userId: 'U1', responseUrl: null } }, T0, { key: `create_channel:${inc.id}` });
      });
      expect(await count(o, 'incidents')).toBe(1);
      expect(commits).toBe(1);
    });

    it('rolls back when a constraint fails mid-transaction (foreign key)', async () => {
      await expect(o.store.transaction(async (tx) => {
        await tx.incidents.create(newIncident());
        await tx.timeline.add({ incidentId: 4242, at: T0, kind: 'log', actor: 'U1', text: 'orphan' }, T0);
      })).rejects.toThrow();
      expect(await count(o, 'incidents')).toBe(0);
    });

    it('round-trips every column type: JSON, epoch ms beyond 2^31, nulls', async () => {
      const inc = await o.store.transaction(async (tx) => {
        const created = await tx.incidents.create({ ...newIncident(), services: ['api', 'db'], nextUpdateDueAt: T0 + 1 });
        await tx.incidents.update(created.id, { channelId: 'C1', resolution: null }, T0 + 5);
        await tx.requests.put('k:json', { nested: { a: [1, 'two'] } }, T0);
        await tx.requests.put('k:string', 'outbox', T0);
        await tx.requests.put('k:null', null, T0);
        return created;
      });
      expect(await o.store.incidents.get(inc.id)).toMatchObject({ services: ['api', 'db'], declaredAt: T0, nextUpdateDueAt: T0 + 1, channelId: 'C1', resolution: null });
      expect(await o.store.incidents.byChannel('C1')).toMatchObject({ id: inc.id });
      expect(await o.store.requests.get('k:json')).toEqual({ nested: { a: [1, 'two'] } });
      expect(await o.store.requests.get('k:string')).toBe('outbox');
      expect(await o.store.requests.get('k:null')).toBeNull();
      expect(await o.store.requests.get('missing')).toBeUndefined();
    });

    it('concurrent transactions never mix or lose writes', async () => {
      const inc = await o.store.transaction((tx) => tx.incidents.create(newIncident()));
      const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => o.store.transaction(async (tx) => {
        await tx.timeline.add({ incidentId: inc.id, at: T0 + i, kind: 'log', actor: 'U1', text: `entry ${i}` }, T0);
        await new Promise((r) => setTimeout(r, i % 3));
        if (i % 5 === 0) throw new Error(`fail ${i}`);
        await tx.timeline.add({ incidentId: inc.id, at: T0 + i, kind: 'log', actor: 'U1', text: `entry ${i} second half` }, T0);
      })));
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(6);
      const texts = (await o.store.timeline.list(inc.id)).map((e) => e.text);
      expect(texts).toHaveLength(48);
    });

    it('outbox keys and request keys are idempotent; the first answer stays', async () => {
      const inc = await o.store.transaction((tx) => tx.incidents.create(newIncident()));
      for (let i = 0; i < 3; i++) {
        await o.store.transaction(async (tx) => {
          await tx.outbox.enqueue({ kind: 'post_summary', incidentId: inc.id }, T0, { key: `post_summary:${inc.id}` });
          await tx.requests.put('k', { n: i }, T0);
        });
      }
      expect(await count(o, 'outbox')).toBe(1);
      expect(await o.store.requests.get('k')).toEqual({ n: 0 });
    });

    it('action item numbers and role holders stay consistent under concurrent writers on two connections', async () => {
      const other = await twin();
      const inc = await o.store.transaction((tx) => tx.incidents.create(newIncident()));
      const stores = [o.store, other.store];
      await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % 2]!.transaction(async (tx) => {
        await tx.incidents.get(inc.id);
        await tx.actions.add({ incidentId: inc.id, text: `a${i}`, owner: null, dueDate: null, createdBy: 'U1', createdAt: T0 });
        await tx.roles.assign(inc.id, 'ic', `U${i}`, 'U1', T0 + i);
      })));
      expect((await o.store.actions.list(inc.id)).map((a) => a.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(await o.store.roles.current(inc.id)).toHaveLength(1);
      expect(await o.store.roles.history(inc.id)).toHaveLength(12);
    });

    it('appends to one incident (getShared) do not wait for each other; a change to the incident waits for them and they for it', async () => {
      const other = await twin();
      const inc = await o.store.transaction((tx) => tx.incidents.create(newIncident()));
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      if (backend.name === 'postgres') {
        // Two appends hold the incident at once: each waits (bounded) for the other to have read it before committing.
        // Were getShared an exclusive lock, the second read would wait for the first commit, and neither would finish.
        let read = 0;
        const both = async () => { read++; for (let i = 0; i < 100 && read < 2; i++) await sleep(20); return read; };
        const seen = await Promise.all([o, other].map((s, i) => s.store.transaction(async (tx) => {
          await tx.incidents.getShared(inc.id);
          const n = await both();
          await tx.timeline.add({ incidentId: inc.id, at: T0 + i, kind: 'log', actor: 'U1', text: `together ${i}` }, T0);
          return n;
        })));
        expect(seen).toEqual([2, 2]);
      } // (SQLite has one writer: its transactions queue, which is the contract's other half below.)

      // An append holding the incident: a close on another replica waits for it to commit, then closes.
      let appended!: () => void;
      const gate = new Promise<void>((r) => { appended = r; });
      const order: string[] = [];
      const append = o.store.transaction(async (tx) => {
        await tx.incidents.getShared(inc.id);
        await gate;
        await tx.timeline.add({ incidentId: inc.id, at: T0, kind: 'log', actor: 'U1', text: 'before the close' }, T0);
        order.push('append');
      });
      await sleep(50);
      const close = other.store.transaction(async (tx) => {
        await tx.incidents.get(inc.id);
        await tx.incidents.update(inc.id, { status: 'closed' }, T0 + 1);
        order.push('close');
      });
      await sleep(200);
      expect(order).toEqual([]);
      appended();
      await Promise.all([append, close]);
      expect(order).toEqual(['append', 'close']);

      // A close holding the incident: an append on another replica waits for it, then sees it closed and is refused.
      await o.store.transaction((tx) => tx.incidents.update(inc.id, { status: 'resolved' }, T0 + 2));
      let closing!: () => void;
      const closeGate = new Promise<void>((r) => { closing = r; });
      const close2 = o.store.transaction(async (tx) => {
        await tx.incidents.get(inc.id);
        await closeGate;
        await tx.incidents.update(inc.id, { status: 'closed' }, T0 + 3);
      });
      await sleep(50);
      const late = logEntry({ store: other.store, clock: () => T0 + 4, policy }, inc.id, 'after the close', 'U1')
        .then(() => 'logged', (err: Error) => err.message);
      await sleep(200);
      closing();
      await close2;
      expect(await late).toMatch(/INC-\d+ is closed/);
      const texts = (await o.store.timeline.list(inc.id)).map((e) => e.text);
      expect(texts).toContain('before the close');
      expect(texts).not.toContain('after the close');
    });

    it('the same declaration request on two replicas at once declares once; numbers are distinct and never reused', async () => {
      const other = await twin();
      const clock = () => T0;
      const input = (key: string) => ({ title: 'Checkout down', severity: 'SEV1' as const, summary: '', services: [], userId: 'U1', requestKey: key, responseUrl: null });
      const same = await Promise.all([o, other, o, other].map((s) => declareIncident({ store: s.store, clock, policy }, input('view-1'))));
      expect(new Set(same.map((r) => r.incident!.id)).size).toBe(1);
      expect(same.filter((r) => !r.duplicate)).toHaveLength(1);
      const distinct = await Promise.all(Array.from({ length: 10 }, (_, i) => declareIncident({ store: [o, other][i % 2]!.store, clock, policy }, input(`view-${i + 2}`))));
      const ids = distinct.map((r) => r.incident!.id);
      expect(new Set(ids).size).toBe(10);
      expect(Math.min(...ids)).toBeGreaterThan(same[0]!.incident!.id);
      expect(await count(o, 'incidents')).toBe(11);
    });

    it('due reminders fire once across replicas ticking at the same moment, each recorded in the claiming transaction', async () => {
      const others = [await twin(), await twin()];
      const ids = await o.store.transaction(async (tx) => {
        const out: number[] = [];
        for (let i = 0; i < 20; i++) {
          const inc = await tx.incidents.create(newIncident(`i${i}`));
          await tx.reminders.schedule(inc.id, 'update', T0 + i);
          out.push(inc.id);
        }
        return out;
      });
      const fired: number[] = [];
      const now = T0 + 30;
      const replicas = [o, ...others];
      await Promise.all(replicas.flatMap((r) => [0, 1].map(() => fireDueReminders({ store: r.store, clock: () => now, policy }, (rs) => fired.push(...rs.map((x) => x.incidentId))))));
      expect(fired.sort((a, b) => a - b)).toEqual(ids);
      // One overdue reminder per incident, each with its follow-up scheduled once.
      expect(await count(o, `outbox WHERE key LIKE 'reminder:%'`)).toBe(20);
      expect(await count(o, `reminders WHERE state = 'pending'`)).toBe(20);
      expect(await count(o, `timeline_entries WHERE kind = 'reminder'`)).toBe(20);
    });

    it('outbox: a coalesced effect supersedes the pending one under its key (latest content wins, one row)', async () => {
      const inc = await o.store.transaction((tx) => tx.incidents.create(newIncident()));
      const remind = (missed: number) => o.store.transaction((tx) => tx.outbox.enqueue(
        { kind: 'channel_notice', incidentId: inc.id, notice: { type: 'update_reminder', missed, comms: null, ic: null, nextDueAt: T0 } },
        T0, { key: `reminder:${missed}`, coalesceKey: `update_reminder:${inc.id}` }));
      for (let m = 1; m <= 4; m++) await remind(m);
      const claimed = await o.queue.claim(T0, 10);
      expect(claimed).toHaveLength(1);
      expect(claimed[0]!.effect).toMatchObject({ notice: { missed: 4 } });
      // While it is in flight a newer one queues beside it; a failed attempt then gives way to the newer one.
      await remind(5);
      await o.queue.retry(claimed[0]!.id, T0, 'http_503', true);
      const next = await o.queue.claim(T0, 10);
      expect(next.map((i) => (i.effect as { notice: { missed: number } }).notice.missed)).toEqual([5]);
    });

    it.runIf(backend.name === 'postgres')('outbox: a worker whose lease ran out cannot undo what the next claim finished', async () => {
      const other = await twin();
      const inc = await o.store.transaction((tx) => tx.incidents.create(newIncident()));
      await o.store.transaction((tx) => tx.outbox.enqueue({ kind: 'channel_notice', incidentId: inc.id, notice: { type: 'snoozed', until: 1, by: 'U1' } }, T0, { key: 'notice:lease' }));
      const [slow] = await o.queue.claim(T0, 10);
      expect(slow?.key).toBe('notice:lease');
      // The lease (1 s here) runs out while the first attempt still waits on Slack: the other replica takes it and delivers.
      const [taken] = await other.queue.claim(T0 + 5_000, 10);
      expect(taken?.id).toBe(slow!.id);
      let applied = 0;
      await other.queue.complete(taken!.id, T0 + 5_100, async () => { applied++; });
      // The first attempt ends late, however it ends: the delivered row stays delivered, and nothing is applied twice.
      await o.queue.retry(slow!.id, T0 + 6_000, 'http_503', true);
      await o.queue.bury(slow!.id, T0 + 6_000, 'gave up');
      await o.queue.complete(slow!.id, T0 + 6_000, async () => { applied++; });
      expect(applied).toBe(1);
      expect(await o.queue.stats()).toMatchObject({ pending: 0, inflight: 0, dead: 0 });
      expect(await o.queue.claim(T0 + 60_000, 10)).toEqual([]);
    });

    it('outbox: a lane offers only its head, to one replica at a time; coalesced refreshes collapse', async () => {
      const other = await twin();
      const inc = await o.store.transaction((tx) => tx.incidents.create(newIncident()));
      const notice = (n: number) => o.store.transaction((tx) => tx.outbox.enqueue({ kind: 'channel_notice', incidentId: inc.id, notice: { type: 'snoozed', until: n, by: 'U1' } }, T0, { key: `notice:${n}` }));
      for (let n = 1; n <= 3; n++) await notice(n);
      for (let n = 0; n < 3; n++) await o.store.transaction((tx) => tx.outbox.enqueue({ kind: 'refresh_summary', incidentId: inc.id }, T0, { coalesceKey: `summary:${inc.id}` }));
      const [a, b] = await Promise.all([o.queue.claim(T0, 10), other.queue.claim(T0, 10)]);
      // The summary refresh is in the channel's lane too (so an older picture never lands after a newer one): only the head goes.
      expect([...a, ...b].map((i) => i.key)).toEqual(['notice:1']);
      expect(await other.queue.claim(T0, 10)).toEqual([]);
      // Three refreshes collapsed into one waiting row: three notices and one refresh, the first in flight.
      expect(await o.queue.stats()).toMatchObject({ pending: 3, inflight: 1, dead: 0 });
      await o.queue.complete([...a, ...b][0]!.id, T0);
      const second = await other.queue.claim(T0, 10);
      expect(second.map((i) => i.key)).toEqual(['notice:2']);
      expect(await o.queue.stats()).toMatchObject({ pending: 2, inflight: 1, dead: 0 });
      await other.queue.complete(second[0]!.id, T0);
      const third = await o.queue.claim(T0, 10);
      expect(third.map((i) => i.key)).toEqual(['notice:3']);
      await o.queue.complete(third[0]!.id, T0);
      // Then the one refresh, after everything queued before it in the lane.
      expect((await other.queue.claim(T0, 10)).map((i) => i.effect.kind)).toEqual(['refresh_summary']);
    });
  });
}
