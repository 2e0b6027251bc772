/** The real bot in Socket Mode against the emulator's socket: start-up, declare, buttons, events, refresh, retried envelopes. */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type BotOptions, createBot } from '../../src/bot.js';
import { databasePathFrom, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { StartupError } from '../../src/startup-error.js';
import { DECLARE_VIEW } from '../../src/slack/actions/declare-form.js';
import { ROLE_VIEW } from '../../src/slack/actions/role.js';
import { ACTION } from '../../src/slack/ids.js';
import { SlackEmulator } from '../slack-emulator/index.js';
import { APP_TOKEN, BOT_TOKEN, freePort, type Harness, startHarness } from './harness.js';
import { type Declared, declare, notices } from './incident-helpers.js';

const reaction = (channel: string, ts: string, user: string): Record<string, unknown> =>
  ({ type: 'reaction_added', user, reaction: 'pushpin', item: { type: 'message', channel, ts }, item_user: 'U0002', event_ts: `${Math.floor(Date.now() / 1000)}.000200` });

/**
 * For the tests that make the bot reconnect: the socket client's wait before it reconnects (its clientPingTimeout,
 * Slack's default 5 s, which also bounds a pong) and SocketLink's retry after a refusal (5 s doubling to 60 s) are
 * shortened, so a test waits for the reconnect itself rather than for those clocks. The reconnect is still the bot's own
 * (nothing here calls start). Every other test here runs the bot with production's defaults against Slack's 3 s ack
 * window; socket-mode-process.test.ts runs the real bundle with them, and test/slack/socket-link.test.ts checks the
 * default backoff on a fake clock.
 */
const QUICK_RECONNECT: BotOptions = { socket: { clientPingTimeoutMs: 2000, retry: { minMs: 200 } } };

/**
 * For the tests of re-delivery: how long the emulator waits for an ack before re-delivering (Slack's 3 s by default).
 * Still far above the bot's ack time, so each re-delivery tested is the one the test provoked.
 */
const QUICK_REDELIVERY = { ackTimeoutMs: 1500 };

const messageEntries = async (h: Harness, inc: Declared) => (await h.bot.store.timeline.list(inc.id)).filter((e) => e.kind === 'message');

/** Nothing went to Slack with the wrong token, and the socket protocol was kept. */
/** Makes the bot's database refuse (or accept again) inbound rows of the outbox, from a second connection, on either store. */
async function refuseInbound(h: Harness, refuse: boolean): Promise<void> {
  const url = h.env.DATABASE_URL!;
  if (h.bot.pg) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(refuse
        ? `CREATE OR REPLACE FUNCTION refuse_inbound() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
             IF NEW.key LIKE 'inbound:%' THEN RAISE EXCEPTION 'disk I/O error (test)'; END IF; RETURN NEW; END $$;
           CREATE TRIGGER refuse_inbound BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_inbound();`
        : 'DROP TRIGGER IF EXISTS refuse_inbound ON outbox');
    } finally {
      await client.end();
    }
    return;
  }
  const other = new Database(databasePathFrom(url));
  try {
    other.exec(refuse
      ? `CREATE TRIGGER refuse_inbound BEFORE INSERT ON outbox WHEN NEW.key LIKE 'inbound:%' BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END;`
      : 'DROP TRIGGER IF EXISTS refuse_inbound');
  } finally {
    other.close();
  }
}

function expectCleanRun(h: Harness): void {
  expect(h.emu.violations).toEqual([]);
  expect(h.emu.socketMode.problems).toEqual([]);
  for (const c of h.emu.calls) expect(c.token, c.method).toBe(c.method === 'apps.connections.open' ? APP_TOKEN : BOT_TOKEN);
}

describe('Socket Mode end to end', () => {
  let h: Harness | undefined;
  const emus: SlackEmulator[] = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const e of emus.splice(0)) await e.stop();
  });

  it('opens the socket through SLACK_API_URL, and serves /healthz and /metrics before it is connected', async () => {
    const emu = new SlackEmulator();
    emus.push(emu);
    await emu.start();
    // apps.connections.open is held until the checks below are done: the bot is starting and not yet connected.
    let answerOpen!: () => void;
    emu.inject('apps.connections.open', { until: new Promise<void>((resolve) => { answerOpen = resolve; }) });
    const port = await freePort();
    const starting = startHarness({ PORT: String(port) }, { emu, mode: 'socket' });
    try {
      await emu.waitFor(() => emu.callsTo('apps.connections.open').length === 1, { message: 'apps.connections.open never reached the emulator' });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('# TYPE');
      expect(emu.socketMode.connections).toBe(0);
    } finally {
      answerOpen();
      h = await starting; // stopped by afterEach even when a check above failed
    }
    expect(emu.socketMode.connections).toBe(1);
    expect(emu.callsTo('apps.connections.open')[0]!.token).toBe(APP_TOKEN);
    expect((await fetch(`http://127.0.0.1:${port}/nothing-here`)).status).toBe(404);
    expectCleanRun(h);
  });

  it('refuses to start when Slack refuses the app-level token, naming SLACK_APP_TOKEN and what to do', async () => {
    const emu = new SlackEmulator({ socketMode: { appToken: 'xapp-1-A0APP-1-the-right-one' } });
    emus.push(emu);
    await emu.start();
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: emu.apiUrl, PORT: String(await freePort()), DATABASE_URL: ':memory:', LOG_LEVEL: 'silent' };
    const bot = createBot(loadConfig(env), { logger: createLogger('silent') });
    try {
      const err = await bot.start().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(StartupError);
      expect((err as StartupError).setting).toBe('SLACK_APP_TOKEN');
      expect((err as Error).message).toMatch(/^SLACK_APP_TOKEN was refused by Slack \(apps\.connections\.open: invalid_auth\).*connections:write/);
      expect((err as Error).message).not.toContain('\n');
      expect(emu.socketMode.connectionsOpened).toBe(0);
    } finally {
      await bot.stop();
    }
  });

  it('declares by slash command and through the modal, both over the socket', async () => {
    h = await startHarness({}, { mode: 'socket' });
    const inc = await declare(h, 'sev2 Socket checkout errors');
    expect(h.emu.channel(inc.channel)!.name).toBe('inc-1-socket-checkout-errors');
    const cmd = h.emu.socketMode.deliveries[0]!;
    expect(cmd.envelope).toMatchObject({ type: 'slash_commands', accepts_response_payload: true });
    expect(JSON.stringify(cmd.acks[0]!.payload)).toContain('INC-1');
    // The channel link follows through the command's response_url, as in HTTP mode.
    await h.emu.waitFor(() => h!.emu.responses.find((r) => JSON.stringify(r.body).includes(`<#${inc.channel}>`)), { message: 'no link via response_url' });

    const open = await h.driver.command('declare', { userId: 'U0003' });
    expect(open.json).toBeUndefined(); // the modal command acks empty, then opens the form
    const modal = await h.emu.waitFor(() => h!.emu.latestModal({ userId: 'U0003', callbackId: DECLARE_VIEW }), { message: 'declare modal not opened' });
    const res = await h.driver.viewSubmission({ userId: 'U0003', view: h.driver.submissionFromOpenedView(modal.id, { title: 'Payments failing', severity: 'SEV1', summary: 'Card payments return 502' }) });
    expect(res.ack?.payload).toEqual({});
    expect(h.emu.views.get(modal.id)!.closed).toBe(true);
    const dm = await h.emu.waitFor(() => h!.emu.dmsTo('U0003').find((m) => m.text.includes('INC-2')), { message: 'declarer not told', timeoutMs: 8000 });
    expect(dm.text).toMatch(/<#C[A-Z0-9]+>/);
    expect(await h.bot.store.incidents.get(2)).toMatchObject({ title: 'Payments failing', severity: 'SEV1' });

    // A form error comes back in the view_submission ack, as over HTTP.
    await h.driver.command('declare', { userId: 'U0004' });
    const blank = await h.emu.waitFor(() => h!.emu.latestModal({ userId: 'U0004', callbackId: DECLARE_VIEW }));
    const bad = await h.driver.viewSubmission({ userId: 'U0004', view: h.driver.submissionFromOpenedView(blank.id, { title: '  ' }) });
    expect(bad.json.response_action).toBe('errors');
    expect(await h.bot.store.incidents.get(3)).toBeNull();
    expectCleanRun(h);
  });

  it('a button on the pinned summary opens its modal; submitting it assigns the role', async () => {
    h = await startHarness({}, { mode: 'socket' });
    const inc = await declare(h, 'Socket buttons');
    const pinned = h.emu.pins(inc.channel)[0]!;
    const click = await h.driver.blockAction({ userId: 'U0001', actionId: ACTION.assignRole, channelId: inc.channel, messageTs: pinned.ts });
    expect(click.status).toBe(200);
    expect(h.emu.socketMode.deliveries.at(-1)!.envelope).toMatchObject({ type: 'interactive', accepts_response_payload: false });
    const modal = await h.emu.waitFor(() => h!.emu.latestModal({ userId: 'U0001', callbackId: ROLE_VIEW }), { message: 'role modal not opened' });
    await h.driver.viewSubmission({ userId: 'U0001', view: h.driver.submissionFromOpenedView(modal.id, { role_select: 'ic', user_select: 'U0004' }) });
    await h.emu.waitFor(() => notices(h!, inc).find((t) => t.includes('<@U0004>') && t.includes('Incident Commander')), { message: 'no role notice' });
    expect((await h.bot.store.roles.current(inc.id)).map((r) => [r.role, r.userId])).toEqual([['ic', 'U0004']]);
    expectCleanRun(h);
  });

  it('the timeline reaction arrives as an events_api envelope and adds the message', async () => {
    h = await startHarness({}, { mode: 'socket' });
    const inc = await declare(h, 'Socket reactions');
    const msg = await h.driver.userMessage({ userId: 'U0002', channelId: inc.channel, text: 'Rolled back at 10:02' });
    const res = await h.driver.event(reaction(inc.channel, msg.ts, 'U0003'));
    expect(res.ack?.payload).toEqual({});
    await h.emu.waitFor(async () => (await messageEntries(h!, inc)).length === 1, { message: 'reacted message never reached the timeline' });
    expect((await messageEntries(h, inc))[0]!.text).toBe('Rolled back at 10:02');
    expectCleanRun(h);
  });

  it('an event is acknowledged only once it is stored: a failed write leaves it unacked and the re-delivery adds it', async () => {
    const logged: string[] = [];
    h = await startHarness({}, { mode: 'socket', bot: { logger: createLogger('warn', [], { write: (line: string) => void logged.push(line) }) } });
    const inc = await declare(h, 'Socket event storage');
    const msg = await h.driver.userMessage({ userId: 'U0002', channelId: inc.channel, text: 'Disk filled at 10:05' });
    // A real write failure in the bot's database, made from outside the bot (a trigger): inbound rows are refused.
    await refuseInbound(h, true);
    try {
      const acked = h.driver.event(reaction(inc.channel, msg.ts, 'U0003'), { socket: QUICK_REDELIVERY });
      await h.emu.waitFor(() => h!.emu.socketMode.deliveries.at(-1)!.envelope.type === 'events_api');
      // The bot has tried to store the event and failed (it says so), and has not acknowledged it.
      await h.emu.waitFor(() => logged.some((l) => l.includes('could not store an event')), { message: 'the refused write never failed in the bot' });
      expect(h.emu.socketMode.deliveries.at(-1)!.acks).toEqual([]);
      await refuseInbound(h, false);
      const res = await acked;
      expect(res.ack!.attempt).toBe(1);
      expect(h.emu.socketMode.deliveries.at(-1)!.attempts.at(-1)!.reason).toBe('timeout');
    } finally {
      await refuseInbound(h, false);
    }
    await h.emu.waitFor(async () => (await messageEntries(h!, inc)).length === 1, { message: 'the re-delivered event never reached the timeline' });
    expectCleanRun(h);
  });

  it('after refresh_requested it opens a new socket through apps.connections.open and keeps working', async () => {
    h = await startHarness({}, { mode: 'socket', bot: QUICK_RECONNECT });
    expect(h.emu.callsTo('apps.connections.open')).toHaveLength(1);
    h.emu.socketMode.disconnect('refresh_requested');
    await h.emu.waitFor(() => h!.emu.callsTo('apps.connections.open').length === 2, { timeoutMs: 15_000, message: 'no reconnect after refresh_requested' });
    await h.emu.socketMode.waitForConnections(1);
    expect(h.emu.socketMode.connectionsOpened).toBe(2);
    const inc = await declare(h, 'After the refresh');
    expect(inc.id).toBe(1);
    expectCleanRun(h);
  }, 40_000);

  it('a reconnect Slack refuses (app token revoked) shows in /healthz and /metrics, and the link comes back when it is accepted again', async () => {
    h = await startHarness({}, { mode: 'socket', bot: QUICK_RECONNECT });
    const health = async () => { const r = await fetch(`${h!.url}/healthz`); return { status: r.status, body: await r.json() as Record<string, unknown> }; };
    const connected = async () => /^incident_bot_slack_socket_connected (\d)$/m.exec(await (await fetch(`${h!.url}/metrics`)).text())?.[1];
    expect(await health()).toMatchObject({ status: 200, body: { socket: 'connected' } });
    expect(await connected()).toBe('1');

    h.emu.socketMode.setAppToken('xapp-1-A0APP-1-rotated'); // the bot's token no longer works
    h.emu.socketMode.disconnect('refresh_requested');
    // 200 still (the database works: the interface keeps 503 for that), but the body says what is wrong and what to do.
    await h.emu.waitFor(async () => (await health()).body.socket === 'refused', { timeoutMs: 15_000, message: '/healthz never showed the refused token' });
    expect(await health()).toMatchObject({ status: 200, body: { status: 'degraded', socket: 'refused', socketError: 'invalid_auth', socketAdvice: expect.stringContaining('SLACK_APP_TOKEN') } });
    expect(await connected()).toBe('0');
    expect(h.emu.callsTo('apps.connections.open').at(-1)!.error).toBe('invalid_auth');

    h.emu.socketMode.setAppToken(undefined); // accepted again: the bot retries on its own
    await h.emu.socketMode.waitForConnections(1, 15_000);
    await h.emu.waitFor(async () => (await health()).body.socket === 'connected', { message: '/healthz never recovered' });
    expect((await health()).body.status).toBe('ok');
    expect(await connected()).toBe('1');
    const inc = await declare(h, 'After the token came back');
    expect(inc.id).toBe(1);
  }, 45_000);

  it('an envelope re-delivered because its ack was lost acts once (command and event)', async () => {
    h = await startHarness({}, { mode: 'socket' });
    const first = await h.driver.command('declare sev2 Retried declaration', { socket: { loseAcks: 1, ...QUICK_REDELIVERY } });
    expect(first.ack!.attempt).toBe(1);
    const record = h.emu.socketMode.deliveries.at(-1)!;
    expect(record.attempts.map((a) => [a.attempt, a.reason])).toEqual([[0, ''], [1, 'timeout']]);
    expect(first.json.text).toContain('INC-1');
    await h.emu.waitFor(() => h!.emu.channelByName('inc-1-retried-declaration'), { message: 'not declared' });
    expect(await h.bot.store.incidents.get(2)).toBeNull();
    expect(h.emu.callsTo('conversations.create')).toHaveLength(1);
    const inc: Declared = { id: 1, ref: 'INC-1', channel: h.emu.channelByName('inc-1-retried-declaration')!.id, summaryTs: '' };

    const msg = await h.driver.userMessage({ userId: 'U0002', channelId: inc.channel, text: 'Cache flushed' });
    const ev = await h.driver.event(reaction(inc.channel, msg.ts, 'U0003'), { socket: { loseAcks: 1, ...QUICK_REDELIVERY } });
    expect(ev.ack!.attempt).toBe(1);
    await h.emu.waitFor(async () => (await messageEntries(h!, inc)).length === 1, { message: 'reacted message never reached the timeline' });
    const probe = await h.driver.command('log probe', { channelId: inc.channel });
    expect(probe.status).toBe(200);
    expect((await messageEntries(h, inc)).filter((e) => e.text === 'Cache flushed')).toHaveLength(1);
    expectCleanRun(h);
  }, 30_000);
});
