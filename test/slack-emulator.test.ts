import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, verifySlackRequest } from '@slack/bolt';
import { ErrorCode, LogLevel, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackDriver } from './slack-emulator/driver.js';
import { SlackEmulator } from './slack-emulator/emulator.js';
import { signatureHeaders } from './slack-emulator/signing.js';

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

const emu = new SlackEmulator();
let client: WebClient;

function clientWith(opts: WebClientOptions = {}): WebClient {
  return new WebClient('xoxb-test-token', { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 }, logger: silent, ...opts });
}

/** The Slack error code of a rejected WebClient call. */
async function slackError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string } };
    return e.data?.error ?? e.code ?? String(err);
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  await emu.start();
  client = clientWith();
});

afterAll(async () => {
  await emu.stop();
});

afterEach(() => {
  // The emulator itself must never answer a code its contract does not list.
  expect(emu.violations.filter((v) => v.kind === 'contract')).toEqual([]);
  emu.reset();
});

describe('Web API basics', () => {
  it('answers auth.test as the bot and rejects bad or missing tokens', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0001' });
    expect(await slackError(new WebClient('nope', { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 }, logger: silent }).auth.test())).toBe('invalid_auth');
    expect(await slackError(new WebClient(undefined, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 }, logger: silent }).auth.test())).toBe('not_authed');
  });

  it('answers a generic ok for methods it does not emulate, and records them', async () => {
    await client.apiCall('bookmarks.add', { channel_id: 'C_GENERAL', title: 'Runbook', type: 'link' });
    expect(emu.unemulatedCalls.map((c) => c.method)).toEqual(['bookmarks.add']);
  });

  it('answers unknown_method and missing_argument (token in header counts as present)', async () => {
    expect(await slackError(client.apiCall('chat.postMessag', { channel: 'C_GENERAL', text: 'x' }))).toBe('unknown_method');
    expect(await slackError(client.apiCall('chat.postMessage', { text: 'no channel' }))).toBe('missing_argument');
    const call = emu.callsTo('chat.postMessage')[0];
    expect(call?.response?.response_metadata).toEqual({ messages: ['[ERROR] missing required field: channel'] });
  });

  it('accepts JSON bodies and rejects invalid JSON-valued form args', async () => {
    const res = await fetch(`${emu.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-json' },
      body: JSON.stringify({ channel: 'C_GENERAL', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C_GENERAL' });
    const bad = await fetch(`${emu.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'xoxb-form', channel: 'C_GENERAL', blocks: '[{"type":' }).toString(),
    });
    expect(await bad.json()).toMatchObject({ ok: false, error: 'invalid_arguments' });
  });

  it('records an emulator contract violation when asked to answer an unlisted code', async () => {
    emu.inject('conversations.create', { error: 'message_not_found' });
    expect(await slackError(client.conversations.create({ name: 'x' }))).toBe('message_not_found');
    expect(emu.violations.map((v) => v.kind)).toEqual(['contract']);
    emu.violations.length = 0;
  });
});

describe('conversations', () => {
  it('creates channels, answers name_taken and the invalid_name_* codes', async () => {
    const res = await client.conversations.create({ name: 'inc-42-db-down' });
    const id = res.channel?.id ?? '';
    expect(id).toMatch(/^C/);
    expect(emu.channel(id)?.members.has('U0BOT')).toBe(true);
    expect(emu.channelByName('inc-42-db-down')?.id).toBe(id);
    expect(await slackError(client.conversations.create({ name: 'inc-42-db-down' }))).toBe('name_taken');
    expect(await slackError(client.conversations.create({ name: 'Inc-Upper' }))).toBe('invalid_name_specials');
    expect(await slackError(client.conversations.create({ name: 'inc 1' }))).toBe('invalid_name_specials');
    expect(await slackError(client.conversations.create({ name: 'a'.repeat(81) }))).toBe('invalid_name_maxlength');
    expect(await slackError(client.conversations.create({ name: '   ' }))).toBe('invalid_name_required');
    await client.conversations.archive({ channel: id });
    expect(await slackError(client.conversations.create({ name: 'inc-42-db-down' }))).toBe('name_taken');
    expect(await slackError(client.conversations.archive({ channel: id }))).toBe('already_archived');
  });

  it('invites like Slack: already_in_channel only when all are members', async () => {
    const id = (await client.conversations.create({ name: 'inc-invite' })).channel?.id ?? '';
    await client.conversations.invite({ channel: id, users: 'U0001,U0002' });
    expect(await slackError(client.conversations.invite({ channel: id, users: 'U0001' }))).toBe('already_in_channel');
    await client.conversations.invite({ channel: id, users: 'U0001,U0003' });
    expect([...(emu.channel(id)?.members ?? [])].sort()).toEqual(['U0001', 'U0002', 'U0003', 'U0BOT']);
    expect(await slackError(client.conversations.invite({ channel: id, users: 'U0004,U9999' }))).toBe('user_not_found');
    expect(emu.channel(id)?.members.has('U0004')).toBe(false);
    expect(await slackError(client.conversations.invite({ channel: 'C404', users: 'U0001' }))).toBe('channel_not_found');
    const other = emu.createChannel('not-mine', { members: ['U0001'] });
    expect(await slackError(client.conversations.invite({ channel: other.id, users: 'U0002' }))).toBe('not_in_channel');
    await client.conversations.archive({ channel: id });
    expect(await slackError(client.conversations.invite({ channel: id, users: 'U0005' }))).toBe('is_archived');
  });

  it('sets topic/purpose, lists history newest first with metadata, and members', async () => {
    const id = (await client.conversations.create({ name: 'inc-hist' })).channel?.id ?? '';
    await client.conversations.setTopic({ channel: id, topic: 'SEV2: db down' });
    await client.conversations.setPurpose({ channel: id, purpose: 'incident room' });
    expect(emu.channel(id)).toMatchObject({ topic: 'SEV2: db down', purpose: 'incident room' });
    for (const n of [1, 2, 3]) {
      await client.chat.postMessage({ channel: id, text: `m${n}`, metadata: { event_type: 'incident_update', event_payload: { n } } });
    }
    const h = await client.conversations.history({ channel: id, limit: 2, include_all_metadata: true });
    expect(h.messages?.map((m) => m.text)).toEqual(['m3', 'm2']);
    expect(h.has_more).toBe(true);
    expect(h.messages?.[0]?.metadata).toEqual({ event_type: 'incident_update', event_payload: { n: 3 } });
    const next = await client.conversations.history({ channel: id, cursor: h.response_metadata?.next_cursor ?? '' });
    expect(next.messages?.map((m) => m.text)).toEqual(['m1']);
    expect((await client.conversations.members({ channel: id })).members).toEqual(['U0BOT']);
    const stranger = emu.createChannel('stranger');
    expect(await slackError(client.conversations.history({ channel: stranger.id }))).toBe('not_in_channel');
  });
});

describe('chat, pins, reactions', () => {
  it('posts, updates, pins and permalinks; enforces membership and archive rules', async () => {
    const id = (await client.conversations.create({ name: 'inc-chat' })).channel?.id ?? '';
    const posted = await client.chat.postMessage({ channel: id, text: 'declared', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*SEV1*' } }] });
    expect(posted).toMatchObject({ ok: true, channel: id });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message?.bot_id).toBe('B0BOT');
    const ts = posted.ts ?? '';
    await client.chat.update({ channel: id, ts, text: 'declared (edited)' });
    expect(emu.messages(id)[0]).toMatchObject({ text: 'declared (edited)', edited: { user: 'U0BOT' } });
    expect(await slackError(client.chat.update({ channel: id, ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    emu.messages(id)[0]!.user = 'U0001';
    expect(await slackError(client.chat.update({ channel: id, ts, text: 'x' }))).toBe('cant_update_message');
    await client.pins.add({ channel: id, timestamp: ts });
    expect(await slackError(client.pins.add({ channel: id, timestamp: ts }))).toBe('already_pinned');
    expect(await slackError(client.pins.add({ channel: id, timestamp: '1.000001' }))).toBe('message_not_found');
    expect(emu.pins(id).map((m) => m.ts)).toEqual([ts]);
    expect((await client.pins.list({ channel: id })).items).toHaveLength(1);
    await client.reactions.add({ channel: id, timestamp: ts, name: 'eyes' });
    expect(await slackError(client.reactions.add({ channel: id, timestamp: ts, name: 'eyes' }))).toBe('already_reacted');
    const link = await client.chat.getPermalink({ channel: id, message_ts: ts });
    expect(link.permalink).toBe(`https://emulator.slack.test/archives/${id}/p${ts.replace('.', '')}`);
    expect(await slackError(client.chat.postMessage({ channel: id, text: '' }))).toBe('no_text');
    expect(await slackError(client.chat.postMessage({ channel: 'C404', text: 'x' }))).toBe('channel_not_found');
    const announce = emu.createChannel('announce', { publicPostAllowed: true });
    await client.chat.postMessage({ channel: announce.id, text: 'SEV1 declared' });
    expect(emu.messages(announce.id)).toHaveLength(1);
    const closed = emu.createChannel('closed', { members: ['U0BOT'], isArchived: true });
    expect(await slackError(client.chat.postMessage({ channel: closed.id, text: 'x' }))).toBe('is_archived');
    expect(await slackError(client.chat.postMessage({ channel: emu.createChannel('quiet').id, text: 'x' }))).toBe('not_in_channel');
  });

  it('opens DMs for U… channels and records ephemerals', async () => {
    await client.chat.postMessage({ channel: 'U0003', text: 'you are commander' });
    expect(emu.dmsTo('U0003').map((m) => m.text)).toEqual(['you are commander']);
    const open = await client.conversations.open({ users: 'U0003' });
    expect(open.channel?.id).toBe(emu.dmsTo('U0003')[0]?.channel);
    await client.chat.postEphemeral({ channel: 'C_GENERAL', user: 'U0002', text: 'only you' });
    expect(emu.ephemerals).toMatchObject([{ channel: 'C_GENERAL', user: 'U0002', text: 'only you' }]);
    const other = await client.conversations.create({ name: 'inc-eph' });
    expect(await slackError(client.chat.postEphemeral({ channel: other.channel?.id ?? '', user: 'U0002', text: 'x' }))).toBe('user_not_in_channel');
  });
});

describe('Block Kit limits', () => {
  it('flags a 3001-char section, 51 blocks, duplicate block_ids and unknown types as invalid_blocks', async () => {
    const section = (text: string, block_id?: string) => ({ type: 'section', ...(block_id ? { block_id } : {}), text: { type: 'mrkdwn', text } });
    expect(await slackError(client.chat.postMessage({ channel: 'C_GENERAL', text: 't', blocks: [section('x'.repeat(3001))] }))).toBe('invalid_blocks');
    expect(emu.violations[0]).toMatchObject({ kind: 'block_kit', method: 'chat.postMessage' });
    expect(emu.violations[0]?.problems?.[0]?.pointer).toBe('/blocks/0/text/text');
    await client.chat.postMessage({ channel: 'C_GENERAL', text: 't', blocks: [section('x'.repeat(3000))] });
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(await slackError(client.chat.postMessage({ channel: 'C_GENERAL', text: 't', blocks: many }))).toBe('invalid_blocks');
    expect(await slackError(client.chat.postMessage({ channel: 'C_GENERAL', text: 't', blocks: [section('a', 'b1'), section('b', 'b1')] }))).toBe('invalid_blocks');
    expect(await slackError(client.chat.postMessage({ channel: 'C_GENERAL', text: 't', blocks: [{ type: 'sektion' }] as never }))).toBe('invalid_blocks');
    const button = { type: 'button' as const, action_id: 'a', text: { type: 'plain_text' as const, text: 'b'.repeat(76) } };
    expect(await slackError(client.chat.postMessage({ channel: 'C_GENERAL', text: 't', blocks: [{ type: 'actions', elements: [button] }] }))).toBe('invalid_blocks');
    expect(emu.violations).toHaveLength(5);
    expect(emu.messages('C_GENERAL')).toHaveLength(1);
    emu.violations.length = 0;
  });

  it('truncates >40000-char postMessage text (Slack has no msg_too_long there) but rejects it on chat.update', async () => {
    const { ts } = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'y'.repeat(40001) });
    expect(emu.messages('C_GENERAL')[0]?.text).toHaveLength(40000);
    expect(await slackError(client.chat.update({ channel: 'C_GENERAL', ts: ts ?? '', text: 'y'.repeat(40001) }))).toBe('msg_too_long');
    expect(emu.violations.map((v) => v.kind)).toEqual(['limit', 'limit']);
    emu.violations.length = 0;
  });
});

describe('views', () => {
  const modal = (title = 'Declare incident', extra: Record<string, unknown> = {}) => ({
    type: 'modal' as const,
    callback_id: 'declare',
    private_metadata: JSON.stringify({ channel: 'C_GENERAL' }),
    title: { type: 'plain_text' as const, text: title },
    submit: { type: 'plain_text' as const, text: 'Declare' },
    blocks: [
      { type: 'input', block_id: 'title', label: { type: 'plain_text', text: 'Title' }, element: { type: 'plain_text_input', action_id: 'value' } },
      {
        type: 'input',
        block_id: 'sev',
        label: { type: 'plain_text', text: 'Severity' },
        element: { type: 'static_select', action_id: 'value', options: ['SEV1', 'SEV2'].map((s) => ({ text: { type: 'plain_text', text: s }, value: s })) },
      },
      { type: 'input', block_id: 'lead', label: { type: 'plain_text', text: 'Lead' }, element: { type: 'users_select', action_id: 'value' } },
    ],
    ...extra,
  });

  it('checks trigger ids: fresh ok, expired, exchanged, unknown', async () => {
    const fresh = emu.issueTriggerId('U0002');
    const opened = await client.views.open({ trigger_id: fresh, view: modal() });
    expect(opened.view?.id).toMatch(/^V/);
    expect(emu.latestModal({ userId: 'U0002' })?.callback_id).toBe('declare');
    expect(await slackError(client.views.open({ trigger_id: fresh, view: modal() }))).toBe('exchanged_trigger_id');
    const old = emu.issueTriggerId('U0002', { ageMs: 3001 });
    expect(await slackError(client.views.open({ trigger_id: old, view: modal() }))).toBe('expired_trigger_id');
    expect(await slackError(client.views.open({ trigger_id: '1.2.nope', view: modal() }))).toBe('invalid_trigger_id');
  });

  it('rejects a 25-char modal title as invalid_arguments and records it', async () => {
    expect(await slackError(client.views.open({ trigger_id: emu.issueTriggerId(), view: modal('t'.repeat(25)) }))).toBe('invalid_arguments');
    expect(emu.violations[0]?.problems?.[0]?.pointer).toBe('/view/title/text');
    emu.violations.length = 0;
  });

  it('updates by id with hash check, and publishes Home tabs', async () => {
    const opened = await client.views.open({ trigger_id: emu.issueTriggerId(), view: modal() });
    const id = opened.view?.id ?? '';
    const hash = opened.view?.hash ?? '';
    const updated = await client.views.update({ view_id: id, hash, view: modal('Declared') });
    expect(updated.view?.id).toBe(id);
    expect(await slackError(client.views.update({ view_id: id, hash, view: modal() }))).toBe('hash_conflict');
    expect(await slackError(client.views.update({ view_id: 'V404', view: modal() }))).toBe('not_found');
    await client.views.publish({ user_id: 'U0001', view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Open incidents: 0' } }] } });
    expect(emu.homeViews.get('U0001')?.blocks[0]).toMatchObject({ text: { text: 'Open incidents: 0' } });
  });
});

describe('files', () => {
  it('runs files.uploadV2 end to end through the emulator', async () => {
    const id = (await client.conversations.create({ name: 'inc-files' })).channel?.id ?? '';
    const res = await client.filesUploadV2({ channel_id: id, filename: 'timeline.md', title: 'Timeline', content: '# Timeline\n- 10:00 declared\n', initial_comment: 'postmortem draft' });
    expect(res.ok).toBe(true);
    expect(emu.files).toMatchObject([{ name: 'timeline.md', title: 'Timeline', content: '# Timeline\n- 10:00 declared\n', channels: [id] }]);
    expect(emu.messages(id)).toMatchObject([{ text: 'postmortem draft', files: [emu.files[0]?.id] }]);
    expect(emu.warnings.filter((w) => w.startsWith('upload'))).toEqual([]);
  });
});

describe('failure injection', () => {
  it('answers 429 with Retry-After, seen by a client rejecting rate-limited calls', async () => {
    emu.inject('chat.postMessage', { status: 429, retryAfter: 7 });
    const strict = clientWith({ rejectRateLimitedCalls: true });
    const err = await strict.chat.postMessage({ channel: 'C_GENERAL', text: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(emu.callsTo('chat.postMessage')[0]).toMatchObject({ status: 429, error: 'ratelimited', fault: 'status 429 retry-after 7' });
    await strict.chat.postMessage({ channel: 'C_GENERAL', text: 'second try' });
  });

  it('rate limits chat.postMessage per channel per second with a correct Retry-After', async () => {
    emu.setRateLimit('chat.postMessage', { perChannelPerSecond: 1 });
    const strict = clientWith({ rejectRateLimitedCalls: true });
    await strict.chat.postMessage({ channel: 'C_GENERAL', text: '1' });
    const err = await strict.chat.postMessage({ channel: 'C_GENERAL', text: '2' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    const other = (await client.conversations.create({ name: 'inc-rl' })).channel?.id ?? '';
    await strict.chat.postMessage({ channel: other, text: 'other channel is fine' });
  });

  it('answers 500, 503 outage, error codes, and socket resets', async () => {
    emu.inject('auth.test', { status: 500 });
    expect(await slackError(client.auth.test())).toBe(ErrorCode.HTTPError);
    emu.setOutage(true);
    const outage = await client.auth.test().catch((e: unknown) => e);
    expect(outage).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    emu.setOutage(false);
    emu.inject('conversations.create', { error: 'name_taken' }, { match: (a) => a.name === 'inc-x' });
    expect((await client.conversations.create({ name: 'inc-y' })).ok).toBe(true);
    expect(await slackError(client.conversations.create({ name: 'inc-x' }))).toBe('name_taken');
    emu.inject('auth.test', { reset: true });
    expect(await slackError(client.auth.test())).toBe(ErrorCode.RequestError);
    expect(emu.callsTo('auth.test').map((c) => c.fault ?? 'none')).toEqual(['status 500', 'outage', 'reset']);
  });

  it('hangs until the client times out, and delays/latency still answer', async () => {
    emu.inject('auth.test', { hang: true });
    const started = Date.now();
    expect(await slackError(clientWith({ timeout: 200 }).auth.test())).toBe(ErrorCode.RequestError);
    expect(Date.now() - started).toBeLessThan(2000);
    emu.inject('auth.test', { delayMs: 50 });
    emu.setLatency(20);
    const t0 = Date.now();
    await client.auth.test();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(60);
  });

  it('stop() closes hung requests', async () => {
    const other = new SlackEmulator();
    await other.start();
    other.inject('*', { hang: true });
    const pending = fetch(`${other.apiUrl}auth.test`, { method: 'POST', headers: { authorization: 'Bearer xoxb-x' } });
    await other.waitFor(() => other.calls.length === 1);
    await other.stop();
    await expect(pending).rejects.toThrow();
  });
});

describe('response_url', () => {
  it('captures posts and flags invalid blocks and unknown urls', async () => {
    const url = emu.newResponseUrl();
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'done', response_type: 'ephemeral', replace_original: false }) });
    expect(ok.status).toBe(200);
    expect(emu.responses).toMatchObject([{ body: { text: 'done', response_type: 'ephemeral' } }]);
    const bad = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }) });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${emu.baseUrl}response/nope`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(emu.violations.map((v) => v.kind)).toEqual(['block_kit', 'response_url']);
    emu.violations.length = 0;
  });
});

describe('SlackDriver', () => {
  const secret = 'test-signing-secret';
  let server: Server;
  const received: Array<{ headers: Record<string, string>; body: string }> = [];
  let driver: SlackDriver;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        received.push({ headers, body });
        try {
          verifySlackRequest({
            signingSecret: secret,
            body,
            headers: {
              'x-slack-signature': headers['x-slack-signature'] ?? '',
              'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
            },
          });
        } catch (err) {
          res.writeHead(401, { 'content-type': 'text/plain' });
          res.end((err as Error).message);
          return;
        }
        const parsed = headers['content-type']?.startsWith('application/json') ? (JSON.parse(body) as Record<string, unknown>) : null;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(parsed?.type === 'url_verification' ? { challenge: parsed.challenge } : {}));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    driver = new SlackDriver({ botUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, signingSecret: secret, emulator: emu });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('signs requests Bolt accepts; wrong, missing and stale signatures are rejected', async () => {
    const cmd = await driver.command('declare db down');
    expect(cmd.status).toBe(200);
    const form = new URLSearchParams(received.at(-1)?.body);
    expect(Object.fromEntries(form)).toMatchObject({ command: '/incident', text: 'declare db down', user_id: 'U0001', channel_id: 'C_GENERAL', channel_name: 'general', team_id: 'T0001' });
    expect(form.get('response_url')).toBe(cmd.responseUrl);
    expect(form.get('trigger_id')).toBe(cmd.triggerId);
    expect((await driver.command('x', { signature: 'wrong' })).status).toBe(401);
    expect((await driver.command('x', { signature: 'missing' })).status).toBe(401);
    const stale = await driver.command('x', { signature: 'stale' });
    expect(stale.status).toBe(401);
    expect(stale.text).toMatch(/stale/);
    expect((await driver.urlVerification('abc')).json).toEqual({ challenge: 'abc' });
    const headers = signatureHeaders(secret, 'body', 'valid', 1700000000);
    expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('builds event envelopes with retry headers and interaction payloads', async () => {
    const ev = await driver.event({ type: 'app_home_opened', user: 'U0001', tab: 'home' }, { retryNum: 1, retryReason: 'http_timeout' });
    expect(ev.status).toBe(200);
    const last = received.at(-1);
    expect(last?.headers['x-slack-retry-num']).toBe('1');
    expect(JSON.parse(last?.body ?? '{}')).toMatchObject({ type: 'event_callback', event_id: ev.eventId, event: { type: 'app_home_opened' } });

    const client2 = clientWith();
    const posted = await client2.chat.postMessage({
      channel: 'C_GENERAL',
      text: 'incident',
      blocks: [{ type: 'actions', block_id: 'acts', elements: [{ type: 'button', action_id: 'ack', value: 'inc-1', text: { type: 'plain_text', text: 'Ack' } }] }],
    });
    await driver.blockAction({ userId: 'U0002', actionId: 'ack', messageTs: posted.ts ?? '' });
    const action = JSON.parse(new URLSearchParams(received.at(-1)?.body).get('payload') ?? '{}');
    expect(action).toMatchObject({ type: 'block_actions', channel: { id: 'C_GENERAL' }, actions: [{ action_id: 'ack', block_id: 'acts', value: 'inc-1', type: 'button' }] });

    const trigger = emu.issueTriggerId('U0002');
    const opened = await client2.views.open({
      trigger_id: trigger,
      view: {
        type: 'modal',
        callback_id: 'declare',
        private_metadata: 'pm',
        title: { type: 'plain_text', text: 'Declare' },
        submit: { type: 'plain_text', text: 'Go' },
        blocks: [
          { type: 'input', block_id: 'title', label: { type: 'plain_text', text: 'Title' }, element: { type: 'plain_text_input', action_id: 'value' } },
          {
            type: 'input',
            block_id: 'sev',
            label: { type: 'plain_text', text: 'Severity' },
            element: { type: 'static_select', action_id: 'value', options: [{ text: { type: 'plain_text', text: 'SEV1' }, value: 'SEV1' }] },
          },
          { type: 'input', block_id: 'lead', label: { type: 'plain_text', text: 'Lead' }, element: { type: 'users_select', action_id: 'value' } },
        ],
      },
    });
    const viewId = opened.view?.id ?? '';
    const view = driver.submissionFromOpenedView(viewId, { title: 'DB down', sev: 'SEV1', lead: 'U0003' });
    expect(view.state.values).toEqual({
      title: { value: { type: 'plain_text_input', value: 'DB down' } },
      sev: { value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'SEV1' }, value: 'SEV1' } } },
      lead: { value: { type: 'users_select', selected_user: 'U0003' } },
    });
    expect(() => driver.submissionFromOpenedView(viewId, { nope: 'x' })).toThrow(/nope/);
    const sub = await driver.viewSubmission({ userId: 'U0002', view });
    expect(sub.status).toBe(200);
    expect(JSON.parse(new URLSearchParams(received.at(-1)?.body).get('payload') ?? '{}')).toMatchObject({ type: 'view_submission', view: { id: viewId, callback_id: 'declare', private_metadata: 'pm' } });
    expect(emu.views.get(viewId)?.closed).toBe(true);
  });
});

describe('SlackDriver with a real Bolt app', () => {
  it('round-trips a command, a modal submission and a button through Bolt and the emulator', async () => {
    const secret = 'bolt-secret';
    const receiver = new HTTPReceiver({ signingSecret: secret, endpoints: '/slack/events', logger: silent });
    const app = new App({ token: 'xoxb-bolt', receiver, clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } }, logger: silent });
    app.command('/incident', async ({ ack, command, client: c }) => {
      await ack();
      await c.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'declare',
          private_metadata: command.channel_id,
          title: { type: 'plain_text', text: 'Declare' },
          submit: { type: 'plain_text', text: 'Go' },
          blocks: [{ type: 'input', block_id: 'title', label: { type: 'plain_text', text: 'Title' }, element: { type: 'plain_text_input', action_id: 'v' } }],
        },
      });
    });
    app.view('declare', async ({ ack, view, client: c }) => {
      await ack();
      await c.chat.postMessage({
        channel: view.private_metadata,
        text: view.state.values.title?.v?.value ?? '',
        blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'ack', value: 'inc', text: { type: 'plain_text', text: 'Ack' } }] }],
      });
    });
    app.action('ack', async ({ ack, body, respond }) => {
      await ack();
      await respond({ text: `acked by ${body.user.id}`, replace_original: false });
    });
    const server = (await app.start(0)) as Server;
    try {
      const driver = new SlackDriver({ botUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, signingSecret: secret, emulator: emu });
      expect((await driver.command('declare')).status).toBe(200);
      const modal = await emu.waitFor(() => emu.latestModal({ callbackId: 'declare' }), { message: 'bot did not open the modal' });
      await driver.viewSubmission({ userId: 'U0001', view: driver.submissionFromOpenedView(modal.id, { title: 'DB down' }) });
      const msg = await emu.waitFor(() => emu.messages('C_GENERAL')[0], { message: 'bot did not post' });
      expect(msg.text).toBe('DB down');
      await driver.blockAction({ userId: 'U0002', actionId: 'ack', messageTs: msg.ts });
      await emu.waitFor(() => emu.responses[0], { message: 'bot did not respond' });
      expect(emu.responses[0]?.body.text).toBe('acked by U0002');
      expect((await driver.command('x', { signature: 'stale' })).status).toBe(401);
      expect(emu.violations).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
