/** The scheduler's tick is exact: a timer on a fixed grid, so 45 s means every 45 s and 90 s every 90 s (not a cron step). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CADENCE } from '../../src/domain/cadence.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { Scheduler, nextTickAt } from '../../src/scheduler/scheduler.js';
import { openStore, type OpenedStore } from '../../src/store/open-store.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 7); // deliberately not on a minute boundary

describe('scheduler tick', () => {
  let dir: string;
  let opened: OpenedStore;
  let scheduler: Scheduler | null = null;

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-'));
    opened = openStore(`file:${path.join(dir, 'incidents.db')}`);
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = null;
    vi.useRealTimers();
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a scheduler ticking every `tickMs` and records when each tick ran (offsets from start). */
  function startRecording(tickMs: number): number[] {
    const deps = { store: opened.store, clock: () => Date.now(), policy: { cadence: DEFAULT_CADENCE, escalateAfterMissed: 2, postmortemDueMs: null, hasAnnounceChannel: false } };
    scheduler = new Scheduler(deps, tickMs, createLogger('silent'), new Metrics(false));
    const at: number[] = [];
    const tick = scheduler.tick.bind(scheduler);
    vi.spyOn(scheduler, 'tick').mockImplementation(() => { at.push(Date.now() - T0); return tick(); });
    scheduler.start();
    return at;
  }

  it.each([45_000, 90_000, 7_000, 1_000])('a %i ms tick fires at once and then at every multiple of it, exactly', async (tickMs) => {
    const at = startRecording(tickMs);
    await vi.advanceTimersByTimeAsync(tickMs * 8);
    expect(at).toEqual(Array.from({ length: 9 }, (_, i) => i * tickMs));
  });

  it('stop ends the ticking', async () => {
    const at = startRecording(45_000);
    await vi.advanceTimersByTimeAsync(45_000);
    await scheduler!.stop();
    await vi.advanceTimersByTimeAsync(45_000 * 4);
    expect(at).toEqual([0, 45_000]);
  });

  it('a tick fires the reminders that are due on the real store', async () => {
    const incident = await opened.store.transaction(async (tx) => {
      const inc = await tx.incidents.create({ title: 'db slow', severity: 'SEV1', summary: '', services: [], declaredBy: 'U1', declaredAt: T0, nextUpdateDueAt: T0 + 60_000 });
      await tx.reminders.schedule(inc.id, 'update', T0 + 60_000);
      return inc;
    });
    startRecording(45_000);
    await vi.advanceTimersByTimeAsync(45_000);
    expect((await opened.store.transaction((tx) => tx.incidents.get(incident.id)))?.missedUpdates).toBe(0);
    await vi.advanceTimersByTimeAsync(45_000);
    expect((await opened.store.transaction((tx) => tx.incidents.get(incident.id)))?.missedUpdates).toBe(1);
  });
});

describe('nextTickAt', () => {
  it('is the next point of the grid strictly after now, so ticks missed while the loop was blocked are skipped, not burst', () => {
    expect(nextTickAt(1000, 45_000, 1000)).toBe(46_000);
    expect(nextTickAt(1000, 45_000, 45_999)).toBe(46_000);
    expect(nextTickAt(1000, 45_000, 46_000)).toBe(91_000);
    expect(nextTickAt(0, 90_000, 200_000)).toBe(270_000);
  });
});
