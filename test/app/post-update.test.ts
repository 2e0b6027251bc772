/** The update modal's intent as one use case on a real SQLite file: the status move and the update commit together or not at all. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeIncident, resolveIncident } from '../../src/app/change-incident.js';
import { AlreadyHandled, type Deps, UserError } from '../../src/app/context.js';
import { declareIncident } from '../../src/app/declare-incident.js';
import type { Effect } from '../../src/app/effects.js';
import { postUpdate } from '../../src/app/post-update.js';
import { openStore, type OpenedStore } from '../../src/store/open-store.js';

const T0 = Date.UTC(2026, 2, 3, 14, 0, 0);
const MIN = 60_000;

describe('postUpdate with a status', () => {
  let dir: string;
  let opened: OpenedStore;
  let now: number;
  let deps: Deps;
  let id: number;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-update-'));
    opened = openStore(`file:${path.join(dir, 'incidents.db')}`);
    now = T0;
    deps = { store: opened.store, clock: () => now, policy: { cadence: { SEV1: 15 * MIN, SEV2: 30 * MIN, SEV3: 60 * MIN, SEV4: null }, escalateAfterMissed: 2, postmortemDueMs: null, hasAnnounceChannel: true } };
    id = (await declareIncident(deps, { title: 'Queue backlog', severity: 'SEV2', summary: '', services: [], userId: 'U1', requestKey: 'd1', responseUrl: null })).incident!.id;
    opened.sqlite!.prepare(`UPDATE outbox SET state = 'done'`).run();
    now = T0 + 10 * MIN;
  });
  afterEach(async () => {
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const pending = () => (opened.sqlite!.prepare(`SELECT effect FROM outbox WHERE state = 'pending' ORDER BY id`).all() as { effect: string }[]).map((r) => JSON.parse(r.effect) as Effect);
  const incident = async () => (await opened.store.incidents.get(id))!;

  it('moves the status and posts the update stamped with the new status, in one commit', async () => {
    const update = await postUpdate(deps, id, { text: 'Found the stuck consumer', status: 'identified', nextInMs: 5 * MIN }, 'U2', 'submit:V1');
    expect(update).toMatchObject({ status: 'identified', text: 'Found the stuck consumer', nextDueAt: now + 5 * MIN });
    expect(await incident()).toMatchObject({ status: 'identified', identifiedAt: now, lastUpdateAt: now, nextUpdateDueAt: now + 5 * MIN });
    expect(pending()).toEqual(expect.arrayContaining([
      { kind: 'channel_notice', incidentId: id, notice: { type: 'status_changed', from: 'investigating', to: 'identified', by: 'U2' } },
      { kind: 'channel_notice', incidentId: id, notice: { type: 'status_update', updateId: update.id } },
      { kind: 'announce', incidentId: id, announcement: { type: 'status_update', updateId: update.id } },
    ]));
  });

  it('the same submission twice acts once', async () => {
    await postUpdate(deps, id, { text: 'Once', status: 'mitigating' }, 'U2', 'submit:V2');
    const before = pending().length;
    await expect(postUpdate(deps, id, { text: 'Once', status: 'mitigating' }, 'U2', 'submit:V2')).rejects.toBeInstanceOf(AlreadyHandled);
    expect(await opened.store.updates.list(id)).toHaveLength(1);
    expect(pending()).toHaveLength(before);
  });

  it('a refused status move posts no update', async () => {
    await postUpdate(deps, id, { text: 'Mitigated', status: 'monitoring' }, 'U2');
    const before = pending().length;
    const refused = postUpdate(deps, id, { text: 'Back to square one', status: 'investigating' }, 'U2', 'submit:V3');
    await expect(refused).rejects.toBeInstanceOf(UserError);
    await expect(refused).rejects.toThrow(/Cannot move INC-\d+ to investigating/);
    expect((await opened.store.updates.list(id)).map((u) => u.text)).toEqual(['Mitigated']);
    expect(pending()).toHaveLength(before);
    // Refused requests do not use up their key: corrected, the same submission goes through.
    await postUpdate(deps, id, { text: 'Still monitoring', status: 'monitoring' }, 'U2', 'submit:V3');
  });

  it('an update that fails to be written leaves the status change behind too (one transaction)', async () => {
    opened.sqlite!.exec(`CREATE TRIGGER refuse_updates BEFORE INSERT ON status_updates BEGIN SELECT RAISE(ABORT, 'disk says no'); END;`);
    await expect(postUpdate(deps, id, { text: 'Identified it', status: 'identified' }, 'U2')).rejects.toThrow(/disk says no/);
    expect(await incident()).toMatchObject({ status: 'investigating', identifiedAt: null, lastUpdateAt: null });
    expect(pending()).toEqual([]);
    expect((await opened.store.timeline.list(id)).map((e) => e.kind)).toEqual(['declared']);
  });

  it('a resolving update stops the clock; a closed incident refuses updates and nothing changes', async () => {
    const update = await postUpdate(deps, id, { text: 'Fixed', status: 'resolved' }, 'U2');
    expect(update).toMatchObject({ status: 'resolved', nextDueAt: null });
    expect(await incident()).toMatchObject({ status: 'resolved', nextUpdateDueAt: null });
    expect(await opened.store.reminders.pending(id, 'update')).toBeNull();
    await closeIncident(deps, id, 'U2');
    await expect(postUpdate(deps, id, { text: 'After', status: 'monitoring' }, 'U2')).rejects.toThrow(/is closed; post follow-ups in the postmortem/);
    expect(await incident()).toMatchObject({ status: 'closed' });
    await expect(resolveIncident(deps, id, null, 'U2')).rejects.toThrow(/already resolved and closed/);
  });
});
