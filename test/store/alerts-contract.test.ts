/** Alerts and pages on both adapters: the repositories' contract, and two replicas handed the same alert delivery declaring once. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/app/context.js';
import { ingestAlertGroup, ingestPagerDuty } from '../../src/app/ingest-alerts.js';
import { pageIfDue, resolvePage } from '../../src/app/paging.js';
import type { AlertGroupIntent } from '../../src/domain/alerts.js';
import { openStore, type OpenedStore } from '../../src/store/open-store.js';
import { type PgCluster, postgresAvailable, startPostgres } from '../support/postgres.js';

const T0 = Date.UTC(2026, 11, 1, 15, 0, 0);
const policy: Policy = {
  cadence: { SEV1: 60_000, SEV2: 60_000, SEV3: 60_000, SEV4: null }, escalateAfterMissed: 2, postmortemDueMs: null, hasAnnounceChannel: false,
  paging: { enabled: true, severities: ['SEV1', 'SEV2'] },
};
const group = (fingerprints: string[], status: 'firing' | 'resolved' = 'firing'): AlertGroupIntent => ({
  source: 'alertmanager', groupKey: '{}:{alertname="X"}',
  alerts: fingerprints.map((f) => ({ fingerprint: f, status, startsAt: T0, name: 'X', severity: 'SEV2', summary: `X on ${f}`, description: 'd', services: ['api'], links: [] })),
});

let cluster: PgCluster | undefined;
beforeAll(async () => { if (postgresAvailable) cluster = await startPostgres(); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

for (const name of ['sqlite', 'postgres'] as const) {
  describe.skipIf(name === 'postgres' && !postgresAvailable)(`alerts and pages on ${name}`, () => {
    let url: string;
    const opened: OpenedStore[] = [];
    const open = async () => {
      const o = openStore(url, { leaseMs: 1000 });
      await o.ready();
      opened.push(o);
      return o;
    };
    beforeEach(async () => {
      url = name === 'sqlite' ? `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'incident-alerts-')), 'db.sqlite')}` : await cluster!.createDatabase();
    });
    afterEach(async () => { for (const o of opened.splice(0)) await o.close(); });

    it('declares once, repeats add nothing, a new alert joins, a resolved alert is recorded once; the page opens and resolves once', async () => {
      const o = await open();
      const deps = { store: o.store, clock: () => T0, policy };
      expect(await ingestAlertGroup(deps, group(['a']))).toEqual([{ incident: 'INC-1', declared: true }]);
      expect(await ingestAlertGroup(deps, group(['a']))).toEqual([{ incident: 'INC-1', declared: false }]);
      expect(await ingestAlertGroup(deps, group(['a', 'b']))).toEqual([{ incident: 'INC-1', declared: false }]);
      expect(await ingestAlertGroup(deps, group(['b'], 'resolved'))).toEqual([{ incident: 'INC-1', declared: false }]);
      await ingestAlertGroup(deps, group(['b'], 'resolved'));
      const kinds = (await o.store.timeline.list(1)).map((e) => `${e.kind}:${e.text.split(':')[0]}`);
      expect(kinds.filter((k) => k === 'alert:Alert firing')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'alert:Alert joined')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'alert:Alert resolved')).toHaveLength(1);
      // SEV2 paged at declaration; a second pageIfDue while paging adds nothing; resolving resolves once.
      await o.store.transaction(async (tx) => {
        expect(await tx.pages.get(1)).toEqual({ triggeredAt: T0, resolvedAt: null });
        await pageIfDue(tx, policy, (await tx.incidents.get(1))!, T0 + 1, 'again', 'U1');
        await resolvePage(tx, policy, 1, T0 + 2, 'U1');
        await resolvePage(tx, policy, 1, T0 + 3, 'U1');
        expect(await tx.pages.get(1)).toEqual({ triggeredAt: T0, resolvedAt: T0 + 2 });
        expect(await tx.alerts.incidentHasSource(1, 'alertmanager')).toBe(true);
        expect(await tx.alerts.incidentHasSource(1, 'pagerduty')).toBe(false);
      });
      const pdRows = name === 'sqlite'
        ? (o.sqlite!.prepare(`SELECT json_extract(effect, '$.action') AS a FROM outbox WHERE target = 'pagerduty' ORDER BY id`).all() as { a: string }[]).map((r) => r.a)
        : (await o.pg!.pool.query(`SELECT effect->>'action' AS a FROM outbox WHERE target = 'pagerduty' ORDER BY id`)).rows.map((r: { a: string }) => r.a);
      expect(pdRows).toEqual(['trigger', 'resolve']);
    });

    it('two replicas handed the same delivery at once declare one incident; the same PagerDuty event twice declares once', async () => {
      const a = await open();
      const b = name === 'sqlite' ? a : await open();
      const results = await Promise.all([
        ingestAlertGroup({ store: a.store, clock: () => T0, policy }, group(['x', 'y'])),
        ingestAlertGroup({ store: b.store, clock: () => T0, policy }, group(['x', 'y'])),
      ]);
      expect(results.flat().filter((r) => r.declared)).toHaveLength(1);
      expect(await a.store.incidents.listOpen()).toHaveLength(1);
      const pd = { kind: 'triggered' as const, eventId: 'evt-1', pdIncidentId: 'PD1', title: 'From PD', severity: 'SEV1' as const, url: null, services: [], number: 7 };
      const twice = await Promise.all([
        ingestPagerDuty({ store: a.store, clock: () => T0, policy }, pd),
        ingestPagerDuty({ store: b.store, clock: () => T0, policy }, { ...pd, eventId: 'evt-2' }),
      ]);
      expect(twice.flat().filter((r) => r.declared)).toHaveLength(1);
      expect(await a.store.incidents.listOpen()).toHaveLength(2);
      // From PagerDuty: not paged back.
      const fromPd = (await a.store.incidents.listOpen()).find((i) => i.title === 'From PD')!;
      expect(await a.store.transaction((tx) => tx.pages.get(fromPd.id))).toBeNull();
    });
  });
}
