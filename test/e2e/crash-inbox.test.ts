/** Issue 12 item 1: an event or interaction acknowledged to Slack survives a kill -9 that comes before its Slack look-ups are answered. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackDriver, SlackEmulator } from '../slack-emulator/index.js';
import { AnswerLosingProxy } from './answer-losing-proxy.js';
import { e2eDatabaseUrlOr, withStore } from '../support/e2e-store.js';
import { type BotProcess, spawnBot } from './bot-process.js';
import { BOT_TOKEN, SIGNING_SECRET, freePort } from './harness.js';

describe('crash after acknowledging an event or interaction', () => {
  let emu: SlackEmulator;
  let proxy: AnswerLosingProxy;
  let dir: string;
  let env: Record<string, string>;
  const bots: BotProcess[] = [];

  beforeEach(async () => {
    emu = new SlackEmulator();
    await emu.start();
    proxy = new AnswerLosingProxy(emu.baseUrl);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-inbox-'));
    env = {
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: await proxy.start(), PORT: String(await freePort()),
      DATABASE_URL: await e2eDatabaseUrlOr(path.join(dir, 'bot.db')), LOG_LEVEL: 'info', OUTBOX_LEASE: '2s',
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
  /** The incident's message entries, read through the store's port from outside the bot (SQLite or PostgreSQL). */
  const entries = () => withStore(env.DATABASE_URL!, async ({ store }) =>
    (await store.timeline.list(1)).filter((e) => e.kind === 'message').map((e) => ({ text: e.text, permalink: e.permalink })));

  it('a timeline reaction and a timeline shortcut acked just before kill -9 are on the timeline after the restart, once, with text and permalink', async () => {
    const first = await start();
    await first.driver.command('declare sev2 Inbox crash', { userId: 'U0001' });
    const channel = (await emu.waitFor(() => emu.channelByName('inc-1-inbox-crash'))).id;
    await emu.waitFor(() => emu.pins(channel).length === 1, { message: 'declaration not finished' });
    const reacted = emu.postAsUser(channel, 'U0002', 'p99 back under 200 ms');
    const shortcut = emu.postAsUser(channel, 'U0003', 'rolled back build 42');

    // Slack answers none of the look-ups: whatever the bot does after the ack is cut off by the kill.
    proxy.withholdAnswers(['conversations.history', 'conversations.replies', 'chat.getPermalink']);
    const ack1 = await first.driver.event({ type: 'reaction_added', user: 'U0003', reaction: 'pushpin', item: { type: 'message', channel, ts: reacted.ts }, item_user: 'U0002' });
    const ack2 = await first.driver.messageShortcut({ callbackId: 'add_to_timeline', userId: 'U0004', channelId: channel, message: { ts: shortcut.ts, text: shortcut.text, user: 'U0003' } });
    expect(ack1.status).toBe(200);
    expect(ack2.status).toBe(200);
    await emu.waitFor(() => proxy.withheld >= 2, { message: 'the bot never looked the messages up' });
    await first.bot.kill9();
    proxy.withholdAnswers([]);

    await start();
    await emu.waitFor(async () => (await entries()).length === 2, { timeoutMs: 15_000, message: 'acknowledged timeline entries were lost' });
    const got = await entries();
    expect(got.map((e) => e.text).sort()).toEqual(['p99 back under 200 ms', 'rolled back build 42']);
    expect(got.every((e) => e.permalink?.includes(channel))).toBe(true);
    expect(await withStore(env.DATABASE_URL!, async ({ store }) => [await store.timeline.hasSource(1, reacted.ts), await store.timeline.hasSource(1, shortcut.ts)])).toEqual([true, true]);
    // The person who used the shortcut is told, once the entry is in.
    await emu.waitFor(() => emu.responses.some((r) => JSON.stringify(r.body).includes('Added to the INC-1 timeline')), { message: 'shortcut caller never told' });
  });
});
