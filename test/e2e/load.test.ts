/** Load: 50 concurrent declarations and 500 concurrent timeline entries, all acknowledged in time, nothing lost or doubled. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ID, SlackDriver, SlackEmulator, TEAM_DOMAIN, TEAM_ID, signatureHeaders } from '../slack-emulator/index.js';
import { e2eDatabaseUrlOr, withStore } from '../support/e2e-store.js';
import { type BotProcess, spawnBot } from './bot-process.js';
import { BOT_TOKEN, SIGNING_SECRET, freePort } from './harness.js';

/** Sends every request in `file` at once from a child process; resolves with each one's status, body and time to answer. */
async function fireAll(url: string, file: string): Promise<{ status: number; json: { text: string }; ms: number }[]> {
  const script = `
    const reqs = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
    Promise.all(reqs.map(async (r) => {
      const t0 = performance.now();
      try {
        const res = await fetch(process.argv[2], { method: 'POST', body: r.body, headers: r.headers, signal: AbortSignal.timeout(15000) });
        const text = await res.text();
        return { status: res.status, json: JSON.parse(text || '{}'), ms: performance.now() - t0 };
      } catch (err) { return { status: 0, json: { text: String(err) }, ms: performance.now() - t0 }; }
    })).then((out) => process.stdout.write(JSON.stringify(out)));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, file, url], { maxBuffer: 64 * 1024 * 1024, timeout: 30_000 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout));
    });
  });
}

/** The worker's default concurrency (src/bot.ts). */
const WORKER_CONCURRENCY = 8;

describe('under load', () => {
  let emu: SlackEmulator | undefined;
  let bot: BotProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await bot?.stop();
    await emu?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    bot = emu = dir = undefined;
  });

  // A timing test on a shared CI machine: one retry absorbs a burst of CPU contention from other jobs (each attempt starts from scratch).
  it('acknowledges 50 declarations and 500 log entries sent at once within 3 s each, with no duplicates and nothing lost', { retry: 1 }, async () => {
    // The bot runs as its own process, as in production; this process plays Slack (emulator and sender).
    emu = new SlackEmulator();
    await emu.start();
    const announce = emu.createChannel('incidents', { members: ['U0BOT'] }).id;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-load-'));
    const databaseUrl = await e2eDatabaseUrlOr(path.join(dir, 'load.db'));
    bot = await spawnBot({
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emu.apiUrl, PORT: String(await freePort()),
      DATABASE_URL: databaseUrl, ANNOUNCE_CHANNEL: announce, LOG_LEVEL: 'warn',
    });
    const url = bot.url;
    const e = emu;
    const driver = new SlackDriver({ botUrl: url, signingSecret: SIGNING_SECRET, emulator: e });
    await driver.command('declare sev1 Load target', { userId: 'U0001' });
    const target = (await e.waitFor(() => e.channelByName('inc-1-load-target'))).id;
    e.setLatency(15); // every Web API call takes a little time, so deliveries overlap

    // Requests are built and signed up front, as Slack has them ready: the timed part is the bot's.
    const users = ['U0001', 'U0002', 'U0003', 'U0004', 'U0005'];
    const signed = (text: string, userId: string, channelId: string) => {
      const body = new URLSearchParams({
        token: 'emulator-verification-token', team_id: TEAM_ID, team_domain: TEAM_DOMAIN, channel_id: channelId, channel_name: 'x',
        user_id: userId, user_name: userId.toLowerCase(), command: '/incident', text, api_app_id: APP_ID, is_enterprise_install: 'false',
        response_url: e.newResponseUrl(), trigger_id: e.issueTriggerId(userId),
      }).toString();
      return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...signatureHeaders(SIGNING_SECRET, body) } };
    };
    const declarationReqs = Array.from({ length: 50 }, (_, i) => signed(`declare sev${(i % 4) + 1} Load incident ${i}`, users[i % 5]!, 'C_GENERAL'));
    const entryReqs = Array.from({ length: 500 }, (_, i) => signed(`log load entry ${i}`, users[i % 5]!, target));
    // A separate sender process fires them all at once and times each answer, as Slack would see it
    // (this process is busy being Slack's Web API for the deliveries the declarations cause).
    const reqFile = path.join(dir, 'requests.json');
    fs.writeFileSync(reqFile, JSON.stringify([...declarationReqs, ...entryReqs]));
    const results = await fireAll(`${url}/slack/events`, reqFile);
    const declared = results.slice(0, 50);
    const logged = results.slice(50);

    const slowest = (xs: { ms: number }[]) => Math.round(Math.max(...xs.map((x) => x.ms)));
    console.info(`load: slowest declaration ack ${slowest(declared)} ms, slowest log ack ${slowest(logged)} ms`);
    for (const { status, json, ms } of [...declared, ...logged]) {
      expect(status).toBe(200);
      expect(ms).toBeLessThan(3000);
      expect(json.text).not.toMatch(/went wrong/i);
    }
    for (const { json } of logged) expect(json.text).toBe('Added to the INC-1 timeline.');
    // Each reply names its own incident: no two declarations were answered with the same one.
    const refs = declared.map(({ json }) => /INC-(\d+)/.exec(json.text)?.[1]);
    expect(new Set(refs).size).toBe(50);
    expect(refs).not.toContain(undefined);

    // Every declaration's Slack work is delivered.
    await e.waitFor(async () => {
      const health = await (await fetch(`${url}/healthz`)).json() as { outbox: { pending: number; inflight: number } };
      return health.outbox.pending === 0 && health.outbox.inflight === 0;
    }, { timeoutMs: 25_000, intervalMs: 100, message: 'outbox not drained after the load' });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    // The bot's own view, from each request's arrival to its ack: every one within Slack's 3 s.
    expect(metrics).toMatch(/incident_bot_ack_latency_seconds_bucket\{le="3",type="command"\} 551\n/);
    expect(metrics).toMatch(/incident_bot_ack_latency_seconds_count\{type="command"\} 551\n/);
    expect(metrics).toMatch(/incident_bot_commands_total\{subcommand="log",outcome="ok"\} 500/);
    expect(metrics).toMatch(/incident_bot_commands_total\{subcommand="declare",outcome="ok"\} 51/);
    await bot.stop();

    // The database holds each exactly once (read through the store's ports, SQLite or PostgreSQL).
    await withStore(databaseUrl, async ({ store, queue }) => {
      const open = await store.incidents.listOpen();
      expect(open).toHaveLength(51);
      expect(open.slice(1).map((i) => i.title).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `Load incident ${i}`).sort());
      const texts = (await store.timeline.list(1)).filter((t) => t.kind === 'log').map((t) => t.text);
      expect(texts).toHaveLength(500);
      expect(new Set(texts).size).toBe(500);
      expect(open.every((i) => i.channelId && i.summaryTs)).toBe(true);
      expect(await queue.stats()).toMatchObject({ pending: 0, inflight: 0, dead: 0 });

      // Slack saw each once.
      const incidentChannels = e.channels.filter((c) => /^inc-\d+-/.test(c.name ?? ''));
      expect(incidentChannels).toHaveLength(51);
      expect(new Set(open.map((i) => i.channelId)).size).toBe(51);
      for (const i of open) expect(e.pins(i.channelId!), `INC-${i.id} summary pins`).toHaveLength(1);
    });
    expect(e.messages(announce).filter((m) => (m.text ?? '').includes('incident declared'))).toHaveLength(51);
    const keys = e.channels.flatMap((c) => e.messages(c.id)).map((m) => (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key).filter(Boolean);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);

    // Deliveries ran in parallel but never beyond the worker's bound.
    const spans = e.calls.filter((c) => c.durationMs !== undefined).map((c) => [c.at, c.at + c.durationMs!] as const);
    let maxOverlap = 0;
    for (const [start] of spans) maxOverlap = Math.max(maxOverlap, spans.filter(([s, end]) => s <= start && start < end).length);
    expect(maxOverlap).toBeGreaterThan(1);
    expect(maxOverlap).toBeLessThanOrEqual(WORKER_CONCURRENCY);
    expect(e.violations).toEqual([]);
  });
});
