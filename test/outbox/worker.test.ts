import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Effect } from '../../src/app/effects.js';
import type { OutboxItem } from '../../src/app/ports.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { backoffMs } from '../../src/slack/circuit-breaker.js';
import { type Deliver, OutboxWorker, type WorkerOptions } from '../../src/outbox/worker.js';
import { SlackCallError } from '../../src/slack/slack-api.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteOutboxQueue } from '../../src/store/sqlite-outbox.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const HALF = () => 0.5;

/** Polls `cond` (bounded) until it holds. */
async function until(cond: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  await vi.waitFor(() => { if (!cond()) throw new Error(`timed out waiting for: ${what}`); }, { timeout: timeoutMs, interval: 5 });
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const notice = (incidentId: number, n: number): Effect => ({ kind: 'channel_notice', incidentId, notice: { type: 'snoozed', until: n, by: 'U1' } });
// Invites of one incident share a lane; separate incidents keep these independent.
const invite = (n: number): Effect => ({ kind: 'invite', incidentId: 1000 + n, userIds: [`U${n}`] });
const tag = (item: OutboxItem) => item.key;

interface Row { id: number; key: string; state: string; attempts: number; next_attempt_at: number; last_error: string | null }

describe('outbox worker over a real SQLite store', () => {
  let dir: string;
  let file: string;
  let now: number;
  let lines: string[];
  let logger: Logger;
  let metrics: Metrics;
  const opened: { close(): void }[] = [];
  const workers: OutboxWorker[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-worker-'));
    file = path.join(dir, 'db.sqlite');
    now = T0;
    lines = [];
    logger = createLogger('debug', [], { write: (s: string) => { lines.push(s); } });
    metrics = new Metrics(false);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    for (const o of opened.splice(0)) o.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function open() {
    const db = openDatabase(file);
    opened.push(db.sqlite);
    const store = new SqliteStore(db.sqlite, db.db);
    const queue = new SqliteOutboxQueue(store);
    const rows = () => db.sqlite.prepare('SELECT id, key, state, attempts, next_attempt_at, last_error FROM outbox ORDER BY id').all() as Row[];
    const row = (key: string) => rows().find((r) => r.key === key)!;
    const enqueue = (effect: Effect, key: string) => store.transaction((tx) => tx.outbox.enqueue(effect, now, { key }));
    return { store, queue, rows, row, enqueue };
  }

  function worker(s: ReturnType<typeof open>, deliver: Deliver, options: Partial<WorkerOptions> = {}) {
    const w = new OutboxWorker(s.queue, deliver, () => now, logger, metrics, { concurrency: 3, idlePollMs: 10, backoffBaseMs: 1000, backoffCapMs: 8000, ...options }, HALF);
    s.store.onCommit(() => w.kick());
    workers.push(w);
    return w;
  }

  it('keeps order within a lane, runs lanes in parallel and never exceeds the concurrency bound', async () => {
    const s = open();
    const lanes = [101, 102, 103];
    for (let n = 0; n < 6; n++) for (const id of lanes) await s.enqueue(notice(id, n), `n:${id}:${n}`);
    for (let n = 0; n < 10; n++) await s.enqueue(invite(n), `i:${n}`);
    const delivered: string[] = [];
    let active = 0;
    let maxActive = 0;
    const activeLanes = new Map<string, number>();
    let laneOverlap = false;
    const w = worker(s, async (item) => {
      active++;
      maxActive = Math.max(maxActive, active);
      if (item.lane) {
        const c = (activeLanes.get(item.lane) ?? 0) + 1;
        activeLanes.set(item.lane, c);
        if (c > 1) laneOverlap = true;
      }
      await pause(2 + (item.id * 7) % 11);
      if (item.lane) activeLanes.set(item.lane, activeLanes.get(item.lane)! - 1);
      active--;
      delivered.push(tag(item));
      return { outcome: 'done' };
    });
    await w.start();
    await until(() => delivered.length === 28, 'all 28 items delivered');
    for (const id of lanes) expect(delivered.filter((k) => k.startsWith(`n:${id}:`))).toEqual([0, 1, 2, 3, 4, 5].map((n) => `n:${id}:${n}`));
    expect(maxActive).toBe(3);
    expect(laneOverlap).toBe(false);
    expect(new Set(delivered).size).toBe(28);
    expect(s.rows().every((r) => r.state === 'done' && r.attempts === 1)).toBe(true);
  });

  it('retries transient failures with exponential backoff and jitter, counting attempts, and logs what is pending', async () => {
    const s = open();
    await s.enqueue(notice(7, 1), 'flaky');
    const callsAt: number[] = [];
    const w = worker(s, async () => {
      callsAt.push(now);
      if (callsAt.length <= 3) throw new Error('socket hang up');
      return { outcome: 'done' };
    });
    await w.start();
    for (let attempt = 0; attempt < 3; attempt++) {
      await until(() => callsAt.length === attempt + 1 && s.row('flaky').state === 'pending', `failure ${attempt + 1} recorded`);
      const wait = backoffMs(attempt, HALF, 1000, 8000);
      expect(wait).toBe(500 * 2 ** attempt);
      expect(s.row('flaky')).toMatchObject({ attempts: attempt + 1, next_attempt_at: now + wait, last_error: 'socket hang up' });
      now += wait - 1;
      await pause(40);
      expect(callsAt).toHaveLength(attempt + 1); // not a millisecond early
      now += 1;
    }
    await until(() => s.row('flaky').state === 'done', 'delivered at last');
    expect(callsAt).toEqual([T0, T0 + 500, T0 + 1500, T0 + 3500]);
    expect(s.row('flaky').attempts).toBe(4);
    expect(await metrics.registry.metrics()).toMatch(/incident_bot_outbox_retries_total\{kind="channel_notice",reason="transient"\} 3/);
    const warn = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'outbox: delivery failed; will retry');
    expect(warn).toMatchObject({ effect: 'channel_notice', incident: 'INC-7', err: 'socket hang up', retryInMs: 500 });
    expect(lines.some((l) => l.includes('delivered after retries'))).toBe(true);
  });

  it('honours Retry-After on a 429 exactly, without counting an attempt', async () => {
    const s = open();
    await s.enqueue(notice(7, 1), 'limited');
    let calls = 0;
    const w = worker(s, async () => {
      calls++;
      if (calls === 1) throw new SlackCallError('chat.postMessage', { kind: 'rate_limited', retryAfterMs: 7000 });
      return { outcome: 'done' };
    });
    await w.start();
    await until(() => s.row('limited').state === 'pending' && calls === 1, '429 recorded');
    expect(s.row('limited')).toMatchObject({ attempts: 0, next_attempt_at: T0 + 7000 });
    now = T0 + 6999;
    await pause(50);
    expect(calls).toBe(1);
    now = T0 + 7000;
    await until(() => s.row('limited').state === 'done', 'delivered after Retry-After');
    expect(calls).toBe(2);
    expect(await metrics.registry.metrics()).toMatch(/incident_bot_outbox_retries_total\{kind="channel_notice",reason="rate_limited"\} 1/);
  });

  it('waits out an open circuit and a defer without counting attempts', async () => {
    const s = open();
    await s.enqueue(notice(7, 1), 'c');
    await s.enqueue(invite(1), 'd');
    const seen: string[] = [];
    const w = worker(s, async (item) => {
      seen.push(item.key);
      if (item.key === 'c' && seen.filter((k) => k === 'c').length === 1) throw new SlackCallError('chat.postMessage', { kind: 'circuit_open', retryInMs: 2000 });
      if (item.key === 'd' && seen.filter((k) => k === 'd').length === 1) return { outcome: 'defer', retryInMs: 300, reason: 'waiting for the incident channel' };
      return { outcome: 'done' };
    });
    await w.start();
    await until(() => seen.length === 2 && s.rows().every((r) => r.state === 'pending'), 'both put back');
    expect(s.row('c')).toMatchObject({ attempts: 0, next_attempt_at: T0 + 2000 });
    expect(s.row('d')).toMatchObject({ attempts: 0, next_attempt_at: T0 + 300, last_error: 'waiting for the incident channel' });
    now = T0 + 300;
    await until(() => s.row('d').state === 'done', 'deferred item delivered');
    expect(s.row('c').state).toBe('pending');
    now = T0 + 2000;
    await until(() => s.row('c').state === 'done', 'item delivered after the circuit closed');
  });

  it('buries an item on a permanent Slack error and moves on to the rest of its lane', async () => {
    const s = open();
    await s.enqueue(notice(7, 1), 'bad');
    await s.enqueue(notice(7, 2), 'next');
    const seen: string[] = [];
    const w = worker(s, async (item) => {
      seen.push(item.key);
      if (item.key === 'bad') throw new SlackCallError('chat.postMessage', { kind: 'slack_error', code: 'channel_not_found' });
      return { outcome: 'done' };
    });
    await w.start();
    await until(() => s.row('next').state === 'done', 'lane continues');
    expect(seen).toEqual(['bad', 'next']);
    expect(s.row('bad')).toMatchObject({ state: 'dead', attempts: 1, last_error: 'chat.postMessage: channel_not_found' });
    expect(await s.queue.stats()).toMatchObject({ pending: 0, inflight: 0, dead: 1 });
    expect(await metrics.registry.metrics()).toMatch(/incident_bot_outbox_delivered_total\{kind="channel_notice",outcome="failed"\} 1/);
    expect(lines.some((l) => l.includes('Slack refused this delivery') && l.includes('channel_not_found'))).toBe(true);
  });

  it('gives up after maxAttempts transient failures', async () => {
    const s = open();
    await s.enqueue(invite(1), 'doomed');
    let calls = 0;
    const w = worker(s, async () => {
      calls++;
      throw new Error('ECONNREFUSED');
    }, { maxAttempts: 4 });
    await w.start();
    for (let i = 1; i <= 4; i++) {
      await until(() => calls === i && s.row('doomed').state !== 'inflight', `attempt ${i} recorded`);
      now += 100_000; // well past any backoff
    }
    await until(() => s.row('doomed').state === 'dead', 'buried');
    expect(calls).toBe(4);
    expect(s.row('doomed').attempts).toBe(4);
    await pause(30);
    expect(calls).toBe(4);
  });

  it('recover(): items a crashed process left in flight are delivered once by the next one, lanes still in order', async () => {
    const first = open();
    await first.enqueue(notice(9, 1), 'lane-1');
    await first.enqueue(notice(9, 2), 'lane-2');
    await first.enqueue(invite(1), 'free-1');
    await first.enqueue(invite(2), 'free-2');
    // The crashed process had claimed these (state inflight) and died before finishing them.
    const claimed = await first.queue.claim(now, 10);
    expect(claimed.map(tag).sort()).toEqual(['free-1', 'free-2', 'lane-1']);
    expect(first.rows().filter((r) => r.state === 'inflight')).toHaveLength(3);

    const second = open(); // a new process: another connection to the same file
    const delivered: string[] = [];
    const w = worker(second, async (item) => {
      delivered.push(item.key);
      return { outcome: 'done' };
    });
    await w.start();
    await until(() => delivered.length === 4, 'everything delivered after restart');
    expect(delivered.indexOf('lane-1')).toBeLessThan(delivered.indexOf('lane-2'));
    expect(new Set(delivered).size).toBe(4);
    expect(second.rows().every((r) => r.state === 'done')).toBe(true);
    expect(lines.some((l) => l.includes('resuming deliveries') && l.includes('"recovered":3'))).toBe(true);
  });

  it('survives a database error while recording a failure: logged, no unhandled rejection, the loop keeps delivering', async () => {
    const s = open();
    await s.enqueue(invite(1), 'unlucky');
    await s.enqueue(invite(2), 'fine');
    const retry = s.queue.retry.bind(s.queue);
    let broken = true;
    s.queue.retry = async (...args) => {
      if (broken) { broken = false; throw new Error('SQLITE_BUSY: database is locked'); }
      return retry(...args);
    };
    const seen: string[] = [];
    const w = worker(s, async (item) => {
      seen.push(item.key);
      if (item.key === 'unlucky') throw new Error('socket hang up');
      return { outcome: 'done' };
    });
    await w.start();
    await until(() => s.row('fine').state === 'done', 'the other item delivered');
    await until(() => lines.some((l) => l.includes('could not record a failed delivery')), 'the error logged');
    expect(s.row('unlucky').state).toBe('inflight'); // left for recover() at the next start
  });

  it('stop() lets deliveries in flight finish and claims nothing new', async () => {
    const s = open();
    for (let n = 0; n < 5; n++) await s.enqueue(notice(5, n), `s:${n}`);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    const w = worker(s, async (item) => {
      seen.push(item.key);
      await gate;
      return { outcome: 'done' };
    });
    await w.start();
    await until(() => seen.length === 1, 'first claimed');
    const stopped = w.stop();
    release();
    await stopped;
    await pause(30);
    expect(seen).toEqual(['s:0']);
    expect(s.row('s:0').state).toBe('done');
    expect(s.rows().filter((r) => r.state === 'pending')).toHaveLength(4);
  });

  it('one worker per target: a PagerDuty outage leaves Slack items flowing, each claims only its own target, recovery is per target', async () => {
    const s = open();
    const page = (incidentId: number): Effect => ({ kind: 'pagerduty_event', incidentId, action: 'trigger', summary: 's', severity: 'error', reason: 'declared' });
    await s.enqueue(page(7), 'page-7');
    await s.enqueue(page(8), 'page-8');
    for (let n = 0; n < 5; n++) await s.enqueue(notice(7, n), `n:${n}`);
    const slackSeen: string[] = [];
    const pdSeen: string[] = [];
    let pdDown = true;
    // PagerDuty hangs for a while and then refuses: the worst case for anyone sharing its slots.
    const pd = worker(s, async (item) => {
      pdSeen.push(item.key);
      await pause(30);
      if (pdDown) throw new Error('connect ETIMEDOUT');
      return { outcome: 'done' };
    }, { target: 'pagerduty', concurrency: 1 });
    const slack = worker(s, async (item) => {
      slackSeen.push(item.key);
      return { outcome: 'done' };
    }, { target: 'slack', concurrency: 1 });
    await pd.start();
    await slack.start();
    await until(() => slackSeen.length === 5, 'all Slack items delivered while PagerDuty is down');
    expect(slackSeen).toEqual(['n:0', 'n:1', 'n:2', 'n:3', 'n:4']);
    expect(pdSeen.every((k) => k.startsWith('page-'))).toBe(true);
    await until(() => s.row('page-7').attempts >= 1 && s.row('page-7').state === 'pending', 'page failure recorded');
    expect(await metrics.registry.metrics()).toMatch(/incident_bot_outbox_target_retries_total\{target="pagerduty",reason="transient"\} [1-9]/);
    expect(await s.queue.stats('pagerduty')).toMatchObject({ dead: 0 });
    expect((await s.queue.stats('slack')).pending).toBe(0);
    pdDown = false;
    now += 100_000;
    pd.kick();
    await until(() => s.row('page-7').state === 'done' && s.row('page-8').state === 'done', 'pages delivered once PagerDuty is back');
    expect(await metrics.registry.metrics()).toMatch(/incident_bot_outbox_target_delivered_total\{target="pagerduty",outcome="delivered"\} 2/);
  });

  it('recover(target) only touches that target\'s items, so starting a second worker never re-sends the first one\'s deliveries in flight', async () => {
    const s = open();
    await s.enqueue({ kind: 'pagerduty_event', incidentId: 1, action: 'trigger', summary: 's', severity: 'error', reason: 'declared' }, 'page');
    await s.enqueue(invite(1), 'slack');
    const slackClaimed = await s.queue.claim(now, 10, 'slack');
    expect(slackClaimed.map(tag)).toEqual(['slack']);
    expect(await s.queue.recover('pagerduty')).toBe(0);
    expect(s.row('slack').state).toBe('inflight');
    const pdClaimed = await s.queue.claim(now, 10, 'pagerduty');
    expect(pdClaimed.map(tag)).toEqual(['page']);
    expect(await s.queue.recover('pagerduty')).toBe(1);
    expect(s.row('slack').state).toBe('inflight');
    expect(s.row('page').state).toBe('pending');
  });
});
