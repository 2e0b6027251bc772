/** `npm run db:copy`: a SQLite deployment moves to PostgreSQL with everything, ids kept, numbers never reused, and a non-empty target refused. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeArgs, root } from '../support/bot-bundle.js';
import { openStore, type OpenedStore } from '../../src/store/open-store.js';
import { type PgCluster, postgresAvailable, startPostgres } from '../support/postgres.js';

const run = promisify(execFile);
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const TABLES = ['incidents', 'role_assignments', 'timeline_entries', 'status_updates', 'severity_changes', 'action_items', 'reminders', 'outbox', 'handled_requests', 'people'];

describe.skipIf(!postgresAvailable)('db:copy from SQLite to PostgreSQL', () => {
  let cluster: PgCluster;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    cluster = await startPostgres();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-copy-'));
    file = path.join(dir, 'incidents.db');
    const src = openStore(`file:${file}`);
    await src.store.transaction(async (tx) => {
      for (let n = 1; n <= 3; n++) {
        const inc = await tx.incidents.create({ title: `Incident ${n}`, severity: 'SEV2', summary: 's', services: ['api', `svc${n}`], declaredBy: 'U1', declaredAt: T0 + n, nextUpdateDueAt: T0 + 60_000 });
        await tx.incidents.update(inc.id, { channelId: `C${n}`, status: n === 3 ? 'resolved' : 'investigating' }, T0 + n);
        await tx.timeline.add({ incidentId: inc.id, at: T0 + n, kind: 'message', actor: 'U2', text: `entry ${n}`, sourceTs: `17000.${n}`, permalink: 'https://x.slack.com/p' }, T0);
        await tx.roles.assign(inc.id, 'ic', 'U2', 'U1', T0);
        await tx.roles.assign(inc.id, 'ic', 'U3', 'U1', T0 + 1);
        await tx.updates.add({ incidentId: inc.id, at: T0, author: 'U2', status: 'investigating', severity: 'SEV2', text: 'looking', nextDueAt: T0 + 1 });
        await tx.severity.add(inc.id, T0, 'SEV3', 'SEV2', 'U1');
        const item = await tx.actions.add({ incidentId: inc.id, text: 'fix it', owner: 'U3', dueDate: '2025-02-01', createdBy: 'U1', createdAt: T0 });
        await tx.reminders.schedule(inc.id, 'update', T0 + 60_000);
        await tx.reminders.schedule(inc.id, 'action', T0 + 90_000, item.id);
        await tx.outbox.enqueue({ kind: 'post_summary', incidentId: inc.id }, T0, { key: `post_summary:${inc.id}` });
        await tx.requests.put(`declare:trigger-${n}`, { incidentId: inc.id, responseUrl: null }, T0);
      }
      await tx.people.put({ userId: 'U2', name: 'Ada', tz: 'Europe/London', tzOffsetSec: 0, fetchedAt: T0 });
    });
    await src.close();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const copy = async (to: string) => run(process.execPath, await nodeArgs('cli/db-copy', '--from', `file:${file}`, '--to', to), { cwd: root, env: { PATH: process.env.PATH ?? '' } });

  it('copies every table with its rows and ids, pending outbox and request keys included, and numbering goes on after them', async () => {
    const url = await cluster.createDatabase();
    const { stderr } = await copy(url);
    expect(stderr).toMatch(/row counts match/);
    const src = openStore(`file:${file}`);
    const dst = openStore(url);
    const opened: OpenedStore[] = [src, dst];
    try {
      await dst.ready();
      for (const table of TABLES) {
        const a = (src.sqlite!.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        const b = Number((await dst.pg!.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
        expect(b, table).toBe(a);
        expect(a, table).toBeGreaterThan(0);
      }
      for (const id of [1, 2, 3]) {
        expect(await dst.store.incidents.get(id)).toEqual(await src.store.incidents.get(id));
        expect(await dst.store.timeline.list(id)).toEqual(await src.store.timeline.list(id));
        expect(await dst.store.roles.history(id)).toEqual(await src.store.roles.history(id));
        expect(await dst.store.actions.list(id)).toEqual(await src.store.actions.list(id));
        expect(await dst.store.reminders.pending(id, 'update')).toEqual(await src.store.reminders.pending(id, 'update'));
      }
      expect(await dst.store.requests.get('declare:trigger-2')).toEqual({ incidentId: 2, responseUrl: null });
      expect(await dst.store.people.get('U2')).toEqual(await src.store.people.get('U2'));
      expect(await dst.queue.stats()).toMatchObject({ pending: 3 });
      // The next incident continues the numbering instead of colliding with a copied one.
      const next = await dst.store.transaction((tx) => tx.incidents.create({ title: 'After the move', severity: 'SEV3', summary: '', services: [], declaredBy: 'U1', declaredAt: T0, nextUpdateDueAt: null }));
      expect(next.id).toBe(4);
    } finally {
      for (const o of opened) await o.close();
    }
  });

  it('refuses a target that already holds incidents, and changes nothing there', async () => {
    const url = await cluster.createDatabase();
    await copy(url);
    const err = await copy(url).then(() => null, (e: { stderr: string; code: number }) => e);
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/already holds 3 incidents/);
    const dst = openStore(url);
    try {
      expect(Number((await dst.pg!.pool.query('SELECT count(*) AS n FROM timeline_entries')).rows[0].n)).toBe(3);
    } finally {
      await dst.close();
    }
  });
});
