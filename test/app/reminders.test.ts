/** Use cases of the update clock on a real SQLite file with a clock the test sets: what each step queues in the outbox. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assignRole } from '../../src/app/assign-role.js';
import { changeSeverity, resolveIncident } from '../../src/app/change-incident.js';
import { type Deps, UserError } from '../../src/app/context.js';
import { declareIncident } from '../../src/app/declare-incident.js';
import type { Effect } from '../../src/app/effects.js';
import { fireDueReminders } from '../../src/app/fire-reminders.js';
import { postUpdate, snooze } from '../../src/app/post-update.js';
import type { Severity } from '../../src/domain/incident.js';
import { openStore, type OpenedStore } from '../../src/store/open-store.js';

const T0 = Date.UTC(2026, 2, 3, 14, 0, 0);
const MIN = 60_000;
const CADENCE = { SEV1: 15 * MIN, SEV2: 30 * MIN, SEV3: 60 * MIN, SEV4: null };

describe('update clock use cases', () => {
  let dir: string;
  let opened: OpenedStore;
  let now: number;
  let deps: Deps;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-reminders-'));
    opened = openStore(`file:${path.join(dir, 'incidents.db')}`);
    now = T0;
    deps = { store: opened.store, clock: () => now, policy: { cadence: CADENCE, escalateAfterMissed: 3, postmortemDueMs: 48 * 60 * MIN, hasAnnounceChannel: true } };
  });
  afterEach(async () => {
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  let requests = 0;
  async function declare(severity: Severity): Promise<number> {
    const r = await declareIncident(deps, { title: 'Checkout errors', severity, summary: '', services: [], userId: 'U1', requestKey: `k${++requests}`, responseUrl: null });
    return r.incident!.id;
  }
  /** Effects waiting in the outbox, oldest first; `deliver` marks them delivered so later steps start from an empty outbox. */
  function queued(deliver = true): Effect[] {
    const rows = opened.sqlite!.prepare(`SELECT effect FROM outbox WHERE state = 'pending' ORDER BY id`).all() as { effect: string }[];
    if (deliver) opened.sqlite!.prepare(`UPDATE outbox SET state = 'done', done_at = ? WHERE state = 'pending'`).run(now);
    return rows.map((r) => JSON.parse(r.effect) as Effect);
  }
  const reminders = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'channel_notice' && e.notice.type === 'update_reminder' ? [e.notice] : []));
  const escalations = (effects: Effect[]) => effects.filter((e) => (e.kind === 'dm' && e.message.type === 'escalation') || (e.kind === 'announce' && e.announcement.type === 'gone_quiet'));
  const incident = async (id: number) => (await opened.store.incidents.get(id))!;
  async function tickAt(at: number): Promise<number> {
    now = at;
    return fireDueReminders(deps);
  }

  it('escalates exactly when the misses reach the threshold, to the IC and the announce channel, once per streak', async () => {
    const id = await declare('SEV2');
    await assignRole(deps, id, 'ic', 'U9', 'U1');
    queued();
    for (const missed of [1, 2]) {
      expect(await tickAt(T0 + missed * 30 * MIN)).toBe(1);
      const effects = queued();
      expect(reminders(effects)).toEqual([{ type: 'update_reminder', missed, comms: null, ic: 'U9', nextDueAt: T0 + (missed + 1) * 30 * MIN }]);
      expect(escalations(effects)).toEqual([]);
    }
    expect(await tickAt(T0 + 90 * MIN)).toBe(1);
    expect(escalations(queued())).toEqual([
      { kind: 'dm', userId: 'U9', message: { type: 'escalation', incidentId: id, missed: 3 } },
      { kind: 'announce', incidentId: id, announcement: { type: 'gone_quiet', missed: 3 } },
    ]);
    expect(await tickAt(T0 + 120 * MIN)).toBe(1);
    const fourth = queued();
    expect(reminders(fourth).map((r) => r.missed)).toEqual([4]);
    expect(escalations(fourth)).toEqual([]);
    // An update ends the streak; the next streak escalates again when it reaches the threshold.
    now = T0 + 125 * MIN;
    await postUpdate(deps, id, { text: 'Back on track' }, 'U9');
    expect((await incident(id)).missedUpdates).toBe(0);
    queued();
    const streak: Effect[] = [];
    for (const k of [1, 2, 3]) {
      expect(await tickAt(T0 + 125 * MIN + k * 30 * MIN)).toBe(1);
      streak.push(...queued());
    }
    expect(reminders(streak).map((r) => r.missed)).toEqual([1, 2, 3]);
    expect(escalations(streak)).toHaveLength(2);
  });

  it('after downtime one reminder counts every missed due time, keeps the grid, and escalates once', async () => {
    const id = await declare('SEV1');
    queued();
    // Due at +15, +30, +45 min: all three pass before the next tick at +50 min.
    expect(await tickAt(T0 + 50 * MIN)).toBe(1);
    const effects = queued();
    expect(reminders(effects)).toEqual([{ type: 'update_reminder', missed: 3, comms: null, ic: null, nextDueAt: T0 + 60 * MIN }]);
    expect(escalations(effects)).toEqual([{ kind: 'announce', incidentId: id, announcement: { type: 'gone_quiet', missed: 3 } }]); // no IC: no DM
    expect(await incident(id)).toMatchObject({ missedUpdates: 3, nextUpdateDueAt: T0 + 60 * MIN });
    expect(await tickAt(T0 + 59 * MIN)).toBe(0);
    expect(await tickAt(T0 + 60 * MIN)).toBe(1);
    expect(reminders(queued()).map((r) => r.missed)).toEqual([4]);
  });

  it('reminders queued while Slack is down coalesce into the latest count', async () => {
    const id = await declare('SEV1');
    queued();
    for (const k of [1, 2]) expect(await tickAt(T0 + k * 15 * MIN)).toBe(1);
    expect(reminders(queued()).map((r) => r.missed)).toEqual([2]);
    expect(id).toBe(1);
  });

  it('a severity change re-plans the due time from the last update on the new cadence, restarts the count, and off cancels it', async () => {
    const id = await declare('SEV3');
    now = T0 + 10 * MIN;
    await postUpdate(deps, id, { text: 'Looking' }, 'U1');
    expect(await tickAt(T0 + 70 * MIN)).toBe(1); // 60 min after the update
    expect((await incident(id)).missedUpdates).toBe(1);
    now = T0 + 75 * MIN;
    await changeSeverity(deps, id, 'SEV1', 'U1');
    // One SEV1 cadence after the last update (T0+25) is already past: due now, never in the past.
    expect(await incident(id)).toMatchObject({ severity: 'SEV1', missedUpdates: 0, nextUpdateDueAt: T0 + 75 * MIN });
    expect(await tickAt(T0 + 75 * MIN)).toBe(1);
    expect(reminders(queued()).at(-1)).toMatchObject({ missed: 1, nextDueAt: T0 + 90 * MIN });
    now = T0 + 80 * MIN;
    await changeSeverity(deps, id, 'SEV2', 'U1');
    expect(await incident(id)).toMatchObject({ nextUpdateDueAt: T0 + 80 * MIN, missedUpdates: 0 });
    await postUpdate(deps, id, { text: 'Mitigating' }, 'U1');
    now = T0 + 81 * MIN;
    await changeSeverity(deps, id, 'SEV3', 'U1');
    expect((await incident(id)).nextUpdateDueAt).toBe(T0 + 140 * MIN); // last update + 60 min
    await changeSeverity(deps, id, 'SEV4', 'U1');
    expect((await incident(id)).nextUpdateDueAt).toBeNull();
    queued();
    expect(await tickAt(T0 + 24 * 60 * MIN)).toBe(0);
    expect(reminders(queued())).toEqual([]);
  });

  it('snooze moves the next reminder to the time it names and says so; it is refused where there is no clock', async () => {
    const id = await declare('SEV2');
    queued();
    now = T0 + 5 * MIN;
    expect(await snooze(deps, id, 60 * MIN, 'U2')).toBe(T0 + 65 * MIN);
    expect(queued()).toContainEqual({ kind: 'channel_notice', incidentId: id, notice: { type: 'snoozed', until: T0 + 65 * MIN, by: 'U2' } });
    expect(await tickAt(T0 + 64 * MIN)).toBe(0); // the 30 min due time was replaced
    expect(await tickAt(T0 + 65 * MIN)).toBe(1);
    expect(reminders(queued())).toEqual([{ type: 'update_reminder', missed: 1, comms: null, ic: null, nextDueAt: T0 + 95 * MIN }]);

    const quiet = await declare('SEV4');
    await expect(snooze(deps, quiet, 60 * MIN, 'U2')).rejects.toThrow(/reminders are off for SEV4/);
    await resolveIncident(deps, id, null, 'U2');
    const refused = snooze(deps, id, 60 * MIN, 'U2');
    await expect(refused).rejects.toBeInstanceOf(UserError);
    await expect(refused).rejects.toThrow(/resolved; there are no update reminders/);
    expect(await tickAt(T0 + 10 * 60 * MIN)).toBe(0);
  });
});
