/** kill -9 with deliveries in flight, restart on the same database: acknowledged commands survive, pending deliveries resume, each message arrives once. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackDriver, SlackEmulator } from '../slack-emulator/index.js';
import { AnswerLosingProxy } from './answer-losing-proxy.js';
import { e2eDatabaseUrlOr, withStore } from '../support/e2e-store.js';
import { type BotProcess, spawnBot } from './bot-process.js';
import { BOT_TOKEN, SIGNING_SECRET, freePort } from './harness.js';

const textOf = (m: { text?: string; blocks?: unknown }) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`;

describe('crash (kill -9) and restart', () => {
  let emu: SlackEmulator;
  let proxy: AnswerLosingProxy;
  let dir: string;
  let env: Record<string, string>;
  let announce: string;
  const bots: BotProcess[] = [];

  beforeEach(async () => {
    emu = new SlackEmulator();
    await emu.start();
    announce = emu.createChannel('incidents', { members: ['U0BOT'] }).id;
    proxy = new AnswerLosingProxy(emu.baseUrl);
    const apiUrl = await proxy.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-crash-'));
    env = {
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: apiUrl, PORT: String(await freePort()),
      DATABASE_URL: await e2eDatabaseUrlOr(path.join(dir, 'bot.db')), ANNOUNCE_CHANNEL: announce, LOG_LEVEL: 'info',
      // PostgreSQL: deliveries the killed process had claimed are taken over once their lease ends (SQLite, one process,
      // takes its own back at start-up); a short lease keeps that within the test's waits.
      OUTBOX_LEASE: '2s',
    };
  });
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.stop();
    await proxy.stop();
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async () => {
    const bot = await spawnBot(env);
    bots.push(bot);
    return { bot, driver: new SlackDriver({ botUrl: bot.url, signingSecret: SIGNING_SECRET, emulator: emu }) };
  };
  const drained = (bot: BotProcess) => emu.waitFor(async () => {
    const h = await (await fetch(`${bot.url}/healthz`)).json() as { outbox: { pending: number; inflight: number; dead: number } };
    return h.outbox.pending === 0 && h.outbox.inflight === 0 ? h : null;
  }, { timeoutMs: 15_000, intervalMs: 100, message: 'outbox not drained' });
  const inChannel = (channel: string, needle: string) => emu.messages(channel).filter((m) => textOf(m).includes(needle));

  it('resumes pending deliveries after kill -9, and messages Slack had already posted are not posted again', async () => {
    const first = await start();
    await first.driver.command('declare sev2 Crash course', { userId: 'U0001' });
    const channel = (await emu.waitFor(() => emu.channelByName('inc-1-crash-course'))).id;
    await emu.waitFor(() => emu.pins(channel).length === 1 && inChannel(announce, 'Crash course').length === 1, { message: 'declaration not delivered' });

    // Slack posts but its answers never arrive: the deliveries stay in flight.
    proxy.withholdAnswers(['chat.postMessage']);
    const acks = [
      await first.driver.command('update Before the crash, first', { userId: 'U0001', channelId: channel }),
      await first.driver.command('update Before the crash, second', { userId: 'U0001', channelId: channel }),
      await first.driver.command('log written just before the crash', { userId: 'U0001', channelId: channel }),
    ];
    for (const a of acks) expect(a.status).toBe(200);
    await emu.waitFor(() => inChannel(channel, 'Before the crash, first').length === 1 && proxy.withheld >= 2, { message: 'Slack never saw the first update' });
    await first.bot.kill9();

    // Acknowledged means committed: all three survive the crash.
    await withStore(env.DATABASE_URL!, async ({ store, queue }) => {
      expect((await store.updates.list(1)).map((u) => u.text)).toEqual(['Before the crash, first', 'Before the crash, second']);
      expect((await store.timeline.list(1)).filter((e) => e.text === 'written just before the crash')).toHaveLength(1);
      expect((await queue.stats()).inflight).toBeGreaterThan(0);
    });

    proxy.withholdAnswers([]);
    const second = await start();
    await drained(second.bot);
    // SQLite takes its in-flight rows back at start-up and says so; PostgreSQL takes them over as their leases end.
    if (!env.DATABASE_URL!.startsWith('postgres')) expect(second.bot.output()).toMatch(/resuming deliveries left in flight/);

    const updates = emu.messages(channel).map(textOf).flatMap((t) => /Before the crash, (first|second)/.exec(t)?.[1] ?? []);
    expect(updates).toEqual(['first', 'second']);
    expect(inChannel(announce, 'Before the crash, first')).toHaveLength(1);
    expect(inChannel(announce, 'Before the crash, second')).toHaveLength(1);
    const keys = emu.channels.flatMap((c) => emu.messages(c.id)).map((m) => (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key).filter(Boolean);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('finishes declarations whose channel creation was cut off by kill -9 (before and after Slack created it): one channel and one of everything', async () => {
    const first = await start();
    // INC-1: the create call hangs before Slack acts. INC-2: Slack creates the channel, the answer never comes.
    emu.inject('conversations.create', { hang: true }, { times: 100, match: (a) => String(a.name).startsWith('inc-1-') });
    proxy.withholdAnswers(['conversations.create']);
    for (const title of ['Cut before', 'Cut after']) {
      const res = await first.driver.command(`declare sev1 ${title}`, { userId: 'U0001' });
      expect(res.status).toBe(200);
      expect(res.json.text).toMatch(/INC-[12]/);
    }
    await emu.waitFor(() => emu.callsTo('conversations.create').length >= 2 && emu.channelByName('inc-2-cut-after'), { message: 'channel creation never started' });
    expect(emu.channelByName('inc-1-cut-before')).toBeUndefined();
    await first.bot.kill9();
    emu.clearFaults();
    proxy.withholdAnswers([]);

    const second = await start();
    await drained(second.bot);
    for (const [n, title, name] of [[1, 'Cut before', 'inc-1-cut-before'], [2, 'Cut after', 'inc-2-cut-after']] as const) {
      const channels = emu.channels.filter((c) => c.name?.startsWith(`inc-${n}-`));
      expect(channels.map((c) => c.name)).toEqual([name]);
      const channel = channels[0]!.id;
      expect(emu.pins(channel)).toHaveLength(1);
      expect([...emu.channel(channel)!.members]).toContain('U0001');
      expect(inChannel(announce, title)).toHaveLength(1);
      // The person who declared still gets the link, once.
      expect(emu.responses.filter((r) => JSON.stringify(r.body).includes(`<#${channel}>`))).toHaveLength(1);
    }
  });
});
