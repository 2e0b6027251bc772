/**
 * Three bot processes on one PostgreSQL database, behind no load balancer but the test itself sending each request to
 * a different replica. Checks what several replicas must never do: land a command twice, fire a reminder twice or skip
 * one, post a lane's messages out of order, lose or repeat work when one replica is killed mid-delivery, or stay down
 * after PostgreSQL comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { SlackDriver, SlackEmulator } from '../slack-emulator/index.js';
import { type PgCluster, postgresAvailable, startPostgres } from '../support/postgres.js';
import { AnswerLosingProxy } from './answer-losing-proxy.js';
import { type BotProcess, spawnBot } from './bot-process.js';
import { BOT_TOKEN, SIGNING_SECRET, freePort } from './harness.js';

const textOf = (m: { text?: string; blocks?: unknown }) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`;

describe.skipIf(!postgresAvailable)('three replicas on one PostgreSQL database', () => {
  let cluster: PgCluster;
  let emu: SlackEmulator;
  let proxy: AnswerLosingProxy;
  let url: string;
  let db: pg.Pool;
  let announce: string;
  const bots: BotProcess[] = [];
  const drivers: SlackDriver[] = [];
  const alive = () => bots.map((b, i) => ({ b, d: drivers[i]! })).filter(({ b }) => b.child.exitCode === null && b.child.signalCode === null);

  beforeAll(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase('replicas');
    db = new pg.Pool({ connectionString: url, max: 2 });
    db.on('error', () => undefined);
    emu = new SlackEmulator();
    await emu.start();
    announce = emu.createChannel('incidents', { members: ['U0BOT'] }).id;
    proxy = new AnswerLosingProxy(emu.baseUrl);
    const apiUrl = await proxy.start();
    const base = {
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: apiUrl, DATABASE_URL: url, ANNOUNCE_CHANNEL: announce,
      LOG_LEVEL: 'info', UPDATE_CADENCE: 'SEV1=2s,SEV2=off,SEV3=off,SEV4=off', SCHEDULER_TICK: '1s', ESCALATE_AFTER_MISSED: '1000', OUTBOX_LEASE: '2s',
    };
    // SEV1=2s is twice the tick, and three replicas tick: a due time always meets a tick before the next one is due.
    // The 2 s lease is how long the others wait before taking over the claim of the replica killed mid-delivery.
    // Started together: the migrations run once, behind the advisory lock, while the others wait.
    const started = await Promise.all([0, 1, 2].map(async () => spawnBot({ ...base, PORT: String(await freePort()) })));
    bots.push(...started);
    drivers.push(...started.map((b) => new SlackDriver({ botUrl: b.url, signingSecret: SIGNING_SECRET, emulator: emu })));
  }, 90_000);

  afterAll(async () => {
    for (const b of bots) await b.stop().catch(() => undefined);
    await proxy?.stop();
    await emu?.stop();
    await db?.end();
    await cluster?.stop();
  }, 60_000);

  const q = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[];
  async function declareVia(driver: SlackDriver, text: string): Promise<{ id: number; channel: string }> {
    const res = await driver.command(`declare ${text}`, { userId: 'U0001' });
    expect(res.status).toBe(200);
    const id = Number(/INC-(\d+)/.exec(String(res.json?.text))?.[1]);
    expect(id).toBeGreaterThan(0);
    const channel = (await emu.waitFor(() => emu.channels.find((c) => c.name.startsWith(`inc-${id}-`)), { timeoutMs: 15_000, message: 'channel not created' })).id;
    await emu.waitFor(async () => (await q<{ channel_id: string | null }>('SELECT channel_id FROM incidents WHERE id = $1', [id]))[0]?.channel_id, { timeoutMs: 15_000 });
    await emu.waitFor(() => emu.pins(channel).length === 1, { timeoutMs: 15_000, message: 'summary not pinned' });
    return { id, channel };
  }
  const drained = () => emu.waitFor(async () => {
    const [r] = await q<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'inflight')`);
    return Number(r!.n) === 0;
  }, { timeoutMs: 30_000, intervalMs: 200, message: 'outbox not drained' });

  it('applied the migrations once and every replica is healthy', async () => {
    const [m] = await q<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations');
    const journal = (await import('../../migrations/postgres/meta/_journal.json', { with: { type: 'json' } })).default as { entries: unknown[] };
    expect(Number(m!.n)).toBe(journal.entries.length);
    for (const b of bots) expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
  });

  // The reminder test waits on real cadences (several 2 s cycles, on real timers: bot processes have no clock to
  // step), so it runs concurrently with the two tests below, which touch other incidents only. The tests after them
  // withhold Slack's answers or stop PostgreSQL, so they run alone.
  it.concurrent('reminders over several cadences fire once each, with no gap, whichever replica ticks', async ({ expect }) => {
    const inc = await declareVia(drivers[2]!, 'sev1 Reminder cadence');
    const counts = () => emu.messages(inc.channel).map(textOf).flatMap((t) => {
      const m = /\((\d+) updates? missed in a row\)/.exec(t);
      return m ? [Number(m[1])] : [];
    });
    await emu.waitFor(() => counts().length >= 4, { timeoutMs: 25_000, intervalMs: 200, message: 'reminders did not keep coming' });
    await drivers[0]!.command('status resolved', { userId: 'U0001', channelId: inc.channel });
    await drained();
    const seen = counts();
    // Each cycle once, in order: 1, 2, 3, ... (a late tick may fold cycles into one reminder, never repeat one).
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    expect(seen[0]).toBe(1);
    const fired = await q<{ n: string }>(`SELECT count(*) AS n FROM reminders WHERE incident_id = $1 AND kind = 'update' AND state = 'fired'`, [inc.id]);
    expect(Number(fired[0]!.n)).toBe(seen.length);
    const [row] = await q<{ missed_updates: number }>('SELECT missed_updates FROM incidents WHERE id = $1', [inc.id]);
    expect(row!.missed_updates).toBe(seen[seen.length - 1]);
  });

  it.concurrent('commands spread round-robin over the replicas each land once, and incident numbers are distinct', async ({ expect }) => {
    const inc = await declareVia(drivers[0]!, 'sev4 Round robin');
    const acks = await Promise.all(Array.from({ length: 12 }, (_, i) => drivers[i % 3]!.command(`log note ${i} via replica ${i % 3}`, { userId: 'U0001', channelId: inc.channel })));
    for (const a of acks) expect(a.json.text).toContain(`Added to the INC-${inc.id} timeline`);
    const rows = await q<{ text: string }>(`SELECT text FROM timeline_entries WHERE incident_id = $1 AND kind = 'log'`, [inc.id]);
    expect(rows.map((r) => r.text).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `note ${i} via replica ${i % 3}`).sort());
    // The same modal submission retried onto each replica declares once.
    const body = new URLSearchParams({
      token: 't', team_id: 'T0001', channel_id: 'C_GENERAL', user_id: 'U0001', command: '/incident',
      text: 'declare sev4 Same trigger', response_url: emu.newResponseUrl(), trigger_id: emu.issueTriggerId('U0001'),
    }).toString();
    const declared = await Promise.all(drivers.map((d) => d.raw(body)));
    const ids = new Set(declared.map((r) => /INC-(\d+)/.exec(String(r.json?.text))?.[1]));
    expect(ids.size).toBe(1);
    expect(await q(`SELECT id FROM incidents WHERE title = 'Same trigger'`)).toHaveLength(1);
    await drained();
  });

  it.concurrent('two status changes made through different replicas are posted in the order they happened', async ({ expect }) => {
    const inc = await declareVia(drivers[1]!, 'sev4 Ordering');
    for (let round = 0; round < 3; round++) {
      await drivers[(round * 2) % 3]!.command(`update Step ${round}a`, { userId: 'U0001', channelId: inc.channel });
      await drivers[(round * 2 + 1) % 3]!.command(`update Step ${round}b`, { userId: 'U0001', channelId: inc.channel });
    }
    await drivers[2]!.command('status identified', { userId: 'U0001', channelId: inc.channel });
    await drivers[0]!.command('status mitigating', { userId: 'U0001', channelId: inc.channel });
    await drained();
    const posted = emu.messages(inc.channel).map(textOf);
    const order = ['Step 0a', 'Step 0b', 'Step 1a', 'Step 1b', 'Step 2a', 'Step 2b'].map((s) => posted.findIndex((t) => t.includes(s)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const s of ['Step 0a', 'Step 2b']) expect(posted.filter((t) => t.includes(s))).toHaveLength(1);
    const identified = posted.findIndex((t) => /Status: \*[^*]*→ Identified/i.test(t));
    const mitigating = posted.findIndex((t) => /Status: \*[^*]*→ Mitigating/i.test(t));
    expect(identified).toBeGreaterThan(order[5]!);
    expect(mitigating).toBeGreaterThan(identified);
  });

  it('after kill -9 of the replica delivering, the others take over its claim when the lease expires: nothing lost, nothing twice', async () => {
    const inc = await declareVia(drivers[1]!, 'sev4 Kill nine');
    await drained();
    // Slack acts on the posts but the answers never arrive: the first delivery hangs in flight at the replica that claimed it.
    proxy.withholdAnswers(['chat.postMessage']);
    const withheldBefore = proxy.withheld;
    for (let i = 0; i < 6; i++) {
      const res = await drivers[1]!.command(`update Crash step ${i}`, { userId: 'U0001', channelId: inc.channel });
      expect(res.json.text).not.toMatch(/went wrong/i);
    }
    await emu.waitFor(() => proxy.withheld > withheldBefore && emu.messages(inc.channel).some((m) => textOf(m).includes('Crash step 0')), { timeoutMs: 10_000, message: 'first update never reached Slack' });
    const inflight = await q<{ key: string }>(`SELECT key FROM outbox WHERE state = 'inflight' AND lane = $1`, [`channel:${inc.id}`]);
    expect(inflight).toHaveLength(1); // one delivery per lane in flight, across all replicas
    await bots[1]!.kill9();
    proxy.withholdAnswers([]);
    await emu.waitFor(() => emu.messages(inc.channel).filter((m) => textOf(m).includes('Crash step 5')).length === 1, { timeoutMs: 30_000, message: 'the others did not carry on' });
    await drained();
    const posted = emu.messages(inc.channel).map(textOf);
    const positions = [0, 1, 2, 3, 4, 5].map((i) => {
      const hits = posted.flatMap((t, at) => (t.includes(`Crash step ${i}`) && !t.includes('Crash step ' + i + '0') ? [at] : []));
      expect(hits, `Crash step ${i}`).toHaveLength(1);
      return hits[0]!;
    });
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(await q(`SELECT text FROM status_updates WHERE incident_id = $1`, [inc.id])).toHaveLength(6);
  });

  it('PostgreSQL stopped: /healthz 503 within seconds, commands get a clear error, nothing crashes; started again: it recovers and delivers what was queued', async () => {
    const live = alive();
    expect(live.length).toBeGreaterThanOrEqual(2);
    const inc = await declareVia(live[0]!.d, 'sev4 Database outage');
    // Work queued before the outage, waiting on Slack.
    emu.setOutage(true);
    await live[1]!.d.command('update Queued before the database went away', { userId: 'U0001', channelId: inc.channel });
    cluster.pause();
    try {
      const t0 = Date.now();
      await expect(db.query('SELECT 1')).rejects.toThrow();
      for (const { b } of live) {
        let last = '';
        await emu.waitFor(async () => {
          const res = await fetch(`${b.url}/healthz`).catch(() => null);
          last = res ? `${res.status} ${await res.text()}` : 'no answer';
          return res?.status === 503;
        }, { timeoutMs: 8000, intervalMs: 200 }).catch((err: Error) => { throw new Error(`${err.message}; last /healthz: ${last}\n${b.output().slice(-3000)}`); });
      }
      expect(Date.now() - t0).toBeLessThan(8000);
      const res = await live[0]!.d.command('log written while the database is down', { userId: 'U0001', channelId: inc.channel });
      expect(res.status).toBe(200);
      expect(res.json.text).toMatch(/database cannot be reached right now, so nothing was changed/);
      expect(res.json.text).not.toMatch(/Added to/);
    } finally {
      cluster.resume();
    }
    emu.setOutage(false);
    for (const { b } of live) {
      await emu.waitFor(async () => (await fetch(`${b.url}/healthz`).then((r) => r.status, () => 0)) === 200, { timeoutMs: 20_000, intervalMs: 250, message: 'healthz did not recover' });
      expect(b.child.exitCode).toBeNull();
    }
    const ok = await live[1]!.d.command('log written after the database came back', { userId: 'U0001', channelId: inc.channel });
    expect(ok.json.text).toContain('Added to the INC');
    await emu.waitFor(() => emu.messages(inc.channel).filter((m) => textOf(m).includes('Queued before the database went away')).length === 1, { timeoutMs: 30_000, message: 'queued work was not delivered' });
    await drained();
    expect(emu.messages(inc.channel).filter((m) => textOf(m).includes('Queued before the database went away'))).toHaveLength(1);
    const entries = await q<{ text: string }>(`SELECT text FROM timeline_entries WHERE incident_id = $1 AND kind = 'log'`, [inc.id]);
    expect(entries.map((e) => e.text)).toEqual(['written after the database came back']);
  });
});
