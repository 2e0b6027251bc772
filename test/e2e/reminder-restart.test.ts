import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { SlackDriver, SlackEmulator } from '../slack-emulator/index.js';
import { e2eDatabaseUrlOr, withStore } from '../support/e2e-store.js';
import { type BotProcess, spawnBot } from './bot-process.js';
import { BOT_TOKEN, SIGNING_SECRET, freePort } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Sleeps until the wall clock passes `at` (ms since the epoch). */
const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));
const CADENCE_MS = 2000;

/** One test's own emulator, database and bot process; `close` stops them and removes the folder. */
async function setUp(onFinished: (fn: () => Promise<void>) => void) {
  const emu = new SlackEmulator();
  await emu.start();
  const announce = emu.createChannel('incidents', { members: ['U0BOT'] }).id;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-restart-'));
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emu.apiUrl, PORT: String(await freePort()),
    DATABASE_URL: await e2eDatabaseUrlOr(path.join(dir, 'bot.db')), ANNOUNCE_CHANNEL: announce, LOG_LEVEL: 'warn',
    // 2 s, twice the tick: the tick after a due time always comes before the next one, so a count never folds two cycles.
    UPDATE_CADENCE: 'SEV1=2s,SEV2=2s,SEV3=2s,SEV4=off', SCHEDULER_TICK: '1s', ESCALATE_AFTER_MISSED: '100',
    // PostgreSQL: a delivery the killed process had claimed is taken over once its lease ends (SQLite, one process,
    // takes its own back at start-up); a short lease keeps the takeover within the test's waits.
    OUTBOX_LEASE: '2s',
  };
  const t = { emu, env, bot: null as BotProcess | null };
  onFinished(async () => {
    await t.bot?.stop();
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return t;
}

const overdue = (emu: SlackEmulator, ch: string) => emu.messages(ch).filter((m) => /overdue/i.test(m.text));

/**
 * Real bot processes on real timers (kill -9 needs a process, and a process has no clock to step): these are the
 * tests that prove the scheduler's due grid and catch-up on real time. The two run concurrently, each with its own
 * emulator, database and process, since each mostly waits for cadences to pass.
 */
describe.concurrent('reminders across a kill -9 and restart', () => {
  it('after downtime sends one catch-up reminder, not a burst, and loses none', async ({ expect, onTestFinished }) => {
    const t = await setUp(onTestFinished);
    const { emu, env } = t;
    t.bot = await spawnBot(env);
    const driver = new SlackDriver({ botUrl: t.bot.url, signingSecret: SIGNING_SECRET, emulator: emu });
    await driver.command('declare sev2 Restart me');
    const ch = (await emu.waitFor(() => emu.channelByName('inc-1-restart-me'))).id;
    await t.bot.kill9();
    const declaredAt = await withStore(env.DATABASE_URL!, async ({ store }) => (await store.incidents.get(1))!.declaredAt);
    // Due times at +2 s and +4 s pass while the bot is down (a fixed 5 s from the kill waited longer than that).
    await sleepUntil(declaredAt + 2 * CADENCE_MS + 250);
    expect(overdue(emu, ch)).toHaveLength(0);
    t.bot = await spawnBot(env);
    await emu.waitFor(() => overdue(emu, ch).length >= 1, { timeoutMs: 3000, message: 'no catch-up reminder after restart' });
    // One catch-up counting every missed cycle (a burst would start at 1), then the grid goes on one cycle at a time.
    const missedIn = (text: string) => Number(/\((\d+) updates? missed in a row\)/.exec(text)?.[1]);
    const catchUp = overdue(emu, ch)[0]!.text;
    const missed = missedIn(catchUp);
    expect(missed).toBeGreaterThanOrEqual(2); // +2 s and +4 s both passed while the bot was down
    // Exactly the cycles that passed: the next due time it names is the grid point after them (declared + (missed + 1) × 2 s).
    const nextDueSec = Number(/Next update due <!date\^(\d+)\^/.exec(catchUp)?.[1]);
    expect(nextDueSec).toBe(Math.floor((declaredAt + (missed + 1) * CADENCE_MS) / 1000));
    await emu.waitFor(() => overdue(emu, ch).length >= 2, { timeoutMs: 3500, message: 'the next reminder on the grid never came' });
    const counts = overdue(emu, ch).map((m) => missedIn(m.text));
    expect(counts[1]).toBe(counts[0]! + 1);
  });

  it('a reminder being delivered when the bot is killed is sent exactly once after restart', async ({ expect, onTestFinished }) => {
    const t = await setUp(onTestFinished);
    const { emu, env } = t;
    t.bot = await spawnBot(env);
    const driver = new SlackDriver({ botUrl: t.bot.url, signingSecret: SIGNING_SECRET, emulator: emu });
    await driver.command('declare sev2 Ambiguous delivery');
    const ch = (await emu.waitFor(() => emu.channelByName('inc-1-ambiguous-delivery'))).id;
    // Slack accepts the reminder but answers slowly: the bot dies before it hears back.
    emu.inject('chat.postMessage', { delayMs: 1500 }, { times: 1, match: (args) => /overdue/i.test(String(args.text)) });
    await emu.waitFor(() => emu.callsTo('chat.postMessage').some((c) => /overdue/i.test(String(c.args.text))), { timeoutMs: 5000 });
    await t.bot.kill9();
    await sleep(1800); // the slow call has been answered (or dropped) before the new process looks for its message
    t.bot = await spawnBot({ ...env, UPDATE_CADENCE: 'SEV1=1h,SEV2=1h,SEV3=1h,SEV4=off' });
    await emu.waitFor(() => overdue(emu, ch).some((m) => /\(2 updates missed/.test(m.text)), { timeoutMs: 5000, message: 'the scheduler did not resume after restart' });
    expect(overdue(emu, ch).filter((m) => /\(1 update missed/.test(m.text))).toHaveLength(1);
    // The resumed delivery looked for its message before posting again.
    expect(emu.callsTo('conversations.history').some((c) => c.args.include_all_metadata)).toBe(true);
  });
});
