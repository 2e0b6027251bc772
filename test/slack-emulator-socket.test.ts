/** The emulator's Socket Mode against Slack's own client (@slack/socket-mode): link, hello, envelopes, acks, retries, refresh. */
import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackEmulator } from './slack-emulator/index.js';

const APP_TOKEN = 'xapp-1-A0APP-1-emulatortest';
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, setLevel: () => {}, getLevel: () => LogLevel.ERROR, setName: () => {} };

let emu: SlackEmulator;
let client: SocketModeClient | undefined;

/** Slack's client; `clientPingTimeout` (default 5 s) is also how long it waits before reconnecting after a disconnect. */
function connect(token = APP_TOKEN, clientPingTimeout?: number): SocketModeClient {
  client = new SocketModeClient({ appToken: token, logger: silent, clientPingTimeout, clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } } });
  return client;
}

beforeEach(async () => {
  emu = new SlackEmulator({ socketMode: { appToken: APP_TOKEN, ackTimeoutMs: 300 } });
  await emu.start();
});
afterEach(async () => {
  await client?.disconnect().catch(() => undefined);
  client = undefined;
  await emu.stop();
});

describe('Socket Mode emulation', () => {
  it('opens a link through SLACK_API_URL with the app-level token and says hello', async () => {
    const c = connect();
    const hello = new Promise<unknown>((resolve) => c.once('ws_message', (data: unknown) => resolve(JSON.parse(String(data)))));
    await c.start();
    const open = emu.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe(APP_TOKEN);
    expect(String(open[0]!.response?.url)).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f]+&app_id=A0APP$/);
    expect(await hello).toMatchObject({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0APP' } });
    expect(emu.socketMode.connections).toBe(1);
  });

  it('refuses a wrong, a bot or a missing token with the contract\'s codes, and a link used twice', async () => {
    await expect(connect('xapp-1-other').start()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(connect('xoxb-bot-token').start()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    const missing = await fetch(`${emu.apiUrl}apps.connections.open`, { method: 'POST' }).then((r) => r.json());
    expect(missing).toEqual({ ok: false, error: 'missing_args' });
    const { url } = await fetch(`${emu.apiUrl}apps.connections.open`, { method: 'POST', headers: { authorization: `Bearer ${APP_TOKEN}` } }).then((r) => r.json()) as { url: string };
    const first = new WebSocket(url);
    await new Promise((resolve, reject) => { first.once('message', resolve); first.once('error', reject); });
    const second = new WebSocket(url);
    const refused = await new Promise<number>((resolve) => second.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(refused).toBe(401);
    first.terminate();
    expect(emu.violations).toEqual([]);
  });

  it('delivers the three envelope types as Slack frames them and resolves with the ack and its payload', async () => {
    const c = connect();
    const seen: { type: string; body: unknown; accepts: unknown }[] = [];
    c.on('slack_event', async ({ ack, type, body, accepts_response_payload }) => {
      seen.push({ type, body, accepts: accepts_response_payload });
      await ack(type === 'slash_commands' ? { text: `got ${body.text}` } : undefined);
    });
    await c.start();
    const cmd = await emu.socketMode.deliver('slash_commands', { command: '/incident', text: 'help' });
    expect(cmd.payload).toEqual({ text: 'got help' });
    expect(cmd.attempt).toBe(0);
    const click = await emu.socketMode.deliver('interactive', { type: 'block_actions', actions: [] });
    expect(click.payload).toEqual({});
    await emu.socketMode.deliver('events_api', { type: 'event_callback', event: { type: 'reaction_added' } });
    expect(seen.map((s) => [s.type, s.accepts])).toEqual([['slash_commands', true], ['interactive', false], ['events_api', false]]);
    const frame = emu.socketMode.deliveries[2]!.envelope;
    expect(frame).toMatchObject({ type: 'events_api', retry_attempt: 0, retry_reason: '', accepts_response_payload: false });
    expect(frame.envelope_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(emu.socketMode.problems).toEqual([]);
  });

  it('re-delivers an envelope whose ack was lost, with retry_attempt and retry_reason, keeping its envelope_id', async () => {
    const c = connect();
    const attempts: [string, number, string][] = [];
    c.on('slack_event', async ({ ack, envelope_id, retry_num, retry_reason }) => {
      attempts.push([envelope_id, retry_num, retry_reason]);
      await ack();
    });
    await c.start();
    const ack = await emu.socketMode.deliver('events_api', { type: 'event_callback', event: { type: 'reaction_added' } }, { loseAcks: 2 });
    expect(ack.attempt).toBe(2);
    const id = ack.envelopeId;
    expect(attempts).toEqual([[id, 0, ''], [id, 1, 'timeout'], [id, 2, 'timeout']]);
  });

  it('gives up after the retries when nothing acknowledges', async () => {
    const c = connect();
    c.on('slack_event', () => undefined);
    await c.start();
    await expect(emu.socketMode.deliver('events_api', { type: 'event_callback', event: { type: 'x' } }, { maxRetries: 1 })).rejects.toThrow(/not acknowledged after 2 deliveries/);
  });

  it('flags acks for unknown envelopes and payloads where none is accepted', async () => {
    const { url } = await fetch(`${emu.apiUrl}apps.connections.open`, { method: 'POST', headers: { authorization: `Bearer ${APP_TOKEN}` } }).then((r) => r.json()) as { url: string };
    const ws = new WebSocket(url);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; envelope_id?: string };
      if (msg.envelope_id) ws.send(JSON.stringify({ envelope_id: msg.envelope_id, payload: { text: 'not allowed here' } }));
    });
    await emu.socketMode.waitForConnections(1);
    ws.send(JSON.stringify({ envelope_id: 'nope' }));
    await emu.socketMode.deliver('events_api', { type: 'event_callback', event: { type: 'x' } });
    expect(emu.socketMode.problems).toEqual([
      'ack for unknown envelope nope',
      expect.stringContaining('carries a payload, but the envelope does not accept one'),
    ]);
    ws.terminate();
  });

  it('after disconnect (refresh_requested or warning) the client opens a new link and keeps receiving', async () => {
    // The client reconnects after its clientPingTimeout: 1 s instead of Slack's 5 s, so the test waits for the new link,
    // not the clock. The bot reconnecting by itself is covered end to end in test/e2e/socket-mode.test.ts.
    const c = connect(APP_TOKEN, 1000);
    c.on('slack_event', async ({ ack }) => { await ack(); });
    await c.start();
    for (const reason of ['refresh_requested', 'warning'] as const) {
      const opened = emu.callsTo('apps.connections.open').length;
      emu.socketMode.disconnect(reason);
      await emu.waitFor(() => emu.callsTo('apps.connections.open').length > opened, { timeoutMs: 15_000, message: `no new link after ${reason}` });
      await emu.socketMode.waitForConnections(1);
      const ack = await emu.socketMode.deliver('events_api', { type: 'event_callback', event: { type: 'x' } });
      expect(ack.attempt).toBe(0);
    }
    expect(emu.socketMode.connectionsOpened).toBe(3);
  }, 40_000);

  it('holds envelopes while no link is open and sends them on the next one', async () => {
    const acked = emu.socketMode.deliver('events_api', { type: 'event_callback', event: { type: 'x' } });
    const c = connect();
    c.on('slack_event', async ({ ack }) => { await ack(); });
    await c.start();
    expect((await acked).envelopeId).toBe(emu.socketMode.deliveries[0]!.envelope.envelope_id);
  });
});
