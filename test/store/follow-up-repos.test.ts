/** Status page and GitHub issue repositories, and the webhook use case, on both stores: SQLite (a temp file) and PostgreSQL (a throwaway cluster). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/app/context.js';
import { applyIssueEvent } from '../../src/app/follow-ups.js';
import { addAction } from '../../src/app/action-items.js';
import { publishStatus } from '../../src/app/statuspage.js';
import { openStore, type OpenedStore } from '../../src/store/open-store.js';
import { type PgCluster, postgresAvailable, startPostgres } from '../support/postgres.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const policy: Policy = { cadence: { SEV1: null, SEV2: null, SEV3: null, SEV4: null }, escalateAfterMissed: 2, postmortemDueMs: null, hasAnnounceChannel: false, statuspage: true, github: true };

let cluster: PgCluster | undefined;
beforeAll(async () => { if (postgresAvailable) cluster = await startPostgres(); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

for (const name of ['sqlite', 'postgres'] as const) {
  describe.skipIf(name === 'postgres' && !postgresAvailable)(`status page and GitHub repositories on ${name}`, () => {
    let o: OpenedStore;
    beforeEach(async () => {
      const url = name === 'sqlite' ? `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'incident-followup-')), 'db.sqlite')}` : await cluster!.createDatabase();
      o = openStore(url);
      await o.ready();
    });
    afterEach(async () => { await o.close(); });

    const newIncident = () => o.store.transaction((tx) => tx.incidents.create({ title: 'Disk full', severity: 'SEV2', summary: '', services: [], declaredBy: 'U1', declaredAt: T0, nextUpdateDueAt: null }));

    it('keeps publications and one page incident per incident', async () => {
      const inc = await newIncident();
      const deps = { store: o.store, clock: () => T0, policy };
      const p = await publishStatus(deps, inc.id, { status: 'investigating', message: 'Looking' }, 'U1');
      expect(await o.store.statuspage.publication(p.id)).toMatchObject({ status: 'investigating', message: 'Looking', by: 'U1', publishedAt: null });
      await o.store.transaction(async (tx) => {
        await tx.statuspage.setPageIncident(inc.id, { pageIncidentId: 'sp1', shortlink: 'https://stspg.io/x', status: 'investigating' }, T0);
        await tx.statuspage.setPageIncident(inc.id, { pageIncidentId: 'sp1', shortlink: 'https://stspg.io/x', status: 'resolved' }, T0 + 1);
        await tx.statuspage.markPublished(p.id, T0 + 1);
      });
      expect(await o.store.statuspage.pageIncident(inc.id)).toEqual({ incidentId: inc.id, pageIncidentId: 'sp1', shortlink: 'https://stspg.io/x', status: 'resolved', updatedAt: T0 + 1 });
      expect((await o.store.statuspage.publication(p.id))!.publishedAt).toBe(T0 + 1);
    });

    it('links issues, and applies each webhook delivery once', async () => {
      const inc = await newIncident();
      const deps = { store: o.store, clock: () => T0, policy };
      const item = await addAction(deps, inc.id, { text: 'Add alerting', ownerId: null, dueDate: null }, 'U1');
      await o.store.transaction(async (tx) => {
        await tx.issues.link(inc.id, { actionItemId: item.id, number: 7, url: 'https://github.com/a/b/issues/7', state: 'open' }, T0);
        await tx.issues.link(inc.id, { actionItemId: item.id, number: 7, url: 'https://github.com/a/b/issues/7', state: 'open' }, T0); // a second link is a no-op
      });
      expect(await o.store.issues.byNumber(7)).toMatchObject({ actionItemId: item.id, state: 'open' });
      const event = { action: 'closed' as const, number: 7, repository: 'a/b', body: null, sender: 'octocat', url: 'https://github.com/a/b/issues/7' };
      expect(await applyIssueEvent(deps, event, 'd-1', 'a/b')).toMatchObject({ action: 'A-1', state: 'closed', changed: true });
      expect(await applyIssueEvent(deps, event, 'd-1', 'a/b')).toMatchObject({ changed: true }); // the same answer, nothing redone
      expect((await o.store.actions.byId(item.id))!.status).toBe('done');
      expect((await o.store.timeline.list(inc.id)).filter((e) => e.kind === 'action_done')).toHaveLength(1);
      expect(await applyIssueEvent(deps, { ...event, action: 'reopened' }, 'd-2', 'a/b')).toMatchObject({ state: 'open', changed: true });
      expect((await o.store.actions.byId(item.id))!.status).toBe('open');
      expect(await o.store.issues.forIncident(inc.id)).toEqual([{ actionItemId: item.id, number: 7, url: 'https://github.com/a/b/issues/7', state: 'open' }]);
      expect(await applyIssueEvent(deps, { ...event, number: 99 }, 'd-3', 'a/b')).toEqual({ ignored: 'issue #99 is not an incident follow-up' });
      expect(await applyIssueEvent(deps, event, 'd-4', 'other/repo')).toHaveProperty('ignored');
    });
  });
}
