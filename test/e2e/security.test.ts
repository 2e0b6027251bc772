/** Request signatures, oversized and malformed input through the real HTTP endpoint: 401 / clear answers, no side effects, no crash. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders } from '../slack-emulator/signing.js';
import { tableSizes } from '../support/e2e-store.js';
import { type Harness, SIGNING_SECRET, startHarness } from './harness.js';

const STACK = /\n\s+at [^\n]+:\d+:\d+|node_modules|\.ts:\d+/;

describe('untrusted input at /slack/events', () => {
  let h: Harness;
  let channel: string;

  beforeAll(async () => {
    h = await startHarness();
    await h.driver.command('declare sev2 Guarded incident', { userId: 'U0001' });
    channel = await h.emu.waitFor(async () => (await h.bot.store.incidents.get(1))?.channelId);
    await h.emu.waitFor(async () => {
      const s = await h.bot.queue.stats();
      return s.pending === 0 && s.inflight === 0 && h.emu.pins(channel).length === 1;
    }, { message: 'declaration not settled' });
  });
  afterAll(async () => { await h.close(); });

  /** Everything a request could have changed: row counts of every table, the incident, and what Slack saw. */
  async function snapshot() {
    return {
      // Every field of the incident (read through the store's port) and every table's size, on either store.
      rows: await tableSizes(h.bot), incident: await h.bot.store.incidents.get(1),
      calls: h.emu.calls.length, responses: h.emu.responses.length, channels: h.emu.channels.length, ephemerals: h.emu.ephemerals.length,
    };
  }

  async function healthy(): Promise<void> {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    const ok = await h.driver.command('roles', { userId: 'U0001', channelId: channel });
    expect(ok.status).toBe(200);
    expect(ok.json.text).toBeTruthy();
  }

  it.each(['missing', 'wrong', 'stale'] as const)('rejects a %s signature with 401 and changes nothing', async (signature) => {
    const before = await snapshot();
    const attempts = await Promise.all([
      h.driver.command('declare sev1 Forged incident', { userId: 'U0003', signature }),
      h.driver.command('severity sev1', { userId: 'U0003', channelId: channel, signature }),
      h.driver.command('log forged entry', { userId: 'U0003', channelId: channel, signature }),
      h.driver.command('close', { userId: 'U0003', channelId: channel, signature }),
      h.driver.event({ type: 'reaction_added', user: 'U0003', reaction: 'pushpin', item: { type: 'message', channel, ts: '1700000000.000100' }, item_user: 'U0003', event_ts: '1700000000.000200' }, { signature }),
      h.driver.blockAction({ userId: 'U0003', actionId: 'anything', channelId: channel, signature }),
      h.driver.urlVerification('forged-challenge', { signature }),
    ]);
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(res.text).not.toContain('forged-challenge');
      expect(res.text).not.toMatch(STACK);
    }
    await new Promise((r) => setTimeout(r, 200)); // let anything that slipped through reach the database or Slack
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a valid signature over a different body (tampering) with 401', async () => {
    const before = await snapshot();
    const signed = new URLSearchParams({ command: '/incident', text: 'help', user_id: 'U0001', channel_id: channel }).toString();
    const tampered = new URLSearchParams({ command: '/incident', text: 'severity sev1', user_id: 'U0001', channel_id: channel, trigger_id: 't', response_url: 'http://127.0.0.1:1/x' }).toString();
    const res = await fetch(`${h.url}/slack/events`, {
      method: 'POST', body: tampered,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signatureHeaders(SIGNING_SECRET, signed) },
    });
    expect(res.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it('answers a 100 KB command with a clear reply, stores nothing, and keeps serving', async () => {
    const before = await snapshot();
    const huge = 'x'.repeat(100 * 1024);
    for (const text of [`log ${huge}`, `declare sev1 ${huge}`, huge, `update ${huge}`]) {
      const res = await h.driver.command(text, { userId: 'U0001', channelId: channel });
      expect(res.status).toBe(200);
      expect(res.json.text).toMatch(/characters long; the limit is 40000 characters/);
      expect(res.text.length).toBeLessThan(20_000); // the reply does not echo the whole input back
      expect(res.text).not.toMatch(STACK);
    }
    expect((await snapshot()).rows).toEqual(before.rows);
    await healthy();
  });

  it('answers payloads of unexpected shape with a 4xx or a clear reply, never a 5xx or a stack trace', async () => {
    const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
    const bodies: [string, Record<string, string>?][] = [
      [form({ payload: 'not json at all {' })],
      [form({ payload: '{"type":"block_actions"}' })],
      [form({ payload: '{"type":"block_actions","actions":"nope","user":5}' })],
      [form({ payload: '{"type":"view_submission","view":null}' })],
      [form({ payload: '{"type":"view_submission","view":{"callback_id":"declare","state":{"values":"x"}},"user":{"id":"U0001"}}' })],
      [form({ payload: '{"type":"message_action","callback_id":"add_to_timeline","message":{},"channel":{}}' })],
      [form({ payload: '{"type":"shortcut","callback_id":"no_such_shortcut"}' })],
      [form({ payload: '[1,2,3]' })],
      [form({ payload: 'null' })],
      [form({ command: '/incident' })],
      [form({ command: '/incident', text: 'log missing user and channel' })],
      [form({ command: '/incident', text: 'roles', channel_id: 'C_NOT_AN_INCIDENT', user_id: 'U0001' })],
      [form({ command: '/not-our-command', text: 'hi', user_id: 'U0001', channel_id: channel })],
      ['{"type":"event_callback"}', { 'content-type': 'application/json' }],
      ['{"type":"event_callback","event":{"type":"reaction_added"}}', { 'content-type': 'application/json' }],
      ['{"type":"event_callback","event":{"type":"reaction_added","reaction":"pushpin","item":{"type":"message"}}}', { 'content-type': 'application/json' }],
      ['{"type":"event_callback","event":{"type":"app_home_opened"}}', { 'content-type': 'application/json' }],
      ['{"type":"event_callback","event":{"type":"reaction_added","reaction":"pushpin","user":"U0001","item":{"type":"message","channel":"' + 'C'.repeat(5000) + '","ts":"x"}}}', { 'content-type': 'application/json' }],
      ['{"broken json', { 'content-type': 'application/json' }],
      ['[]', { 'content-type': 'application/json' }],
      ['"just a string"', { 'content-type': 'application/json' }],
      ['{}', { 'content-type': 'application/json' }],
      [`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, { 'content-type': 'application/json' }],
      ['plain text body', { 'content-type': 'text/plain' }],
      ['', {}],
      ['\u0000\u0001\u0002 binary-ish \uffff', { 'content-type': 'application/octet-stream' }],
    ];
    const results = await Promise.all(bodies.map(([body, headers]) => h.driver.raw(body, headers ?? {})));
    results.forEach((res, i) => {
      expect(res.status, `body #${i}`).toBeLessThan(500);
      expect(res.text, `body #${i}`).not.toMatch(STACK);
    });
    await healthy();
  });

  it('fuzz: arbitrary command text through the real endpoint never gets a 5xx or an internal error, and the bot stays healthy', async () => {
    const words = ['help', 'list', 'declare', 'log', 'role', 'roles', 'update', 'severity', 'sev', 'status', 'resolve', 'close', 'action', 'actions', 'timeline', 'snooze', 'postmortem', 'done'];
    const token = fc.oneof(
      fc.constantFrom(...words, 'sev1', 'SEV4', 'ic', 'tech', 'comms', 'resolved', 'monitoring', '15m', 'off', 'due:2025-13-40', 'A-1', '<@U0002>', '<@U0002|bob>', '<#C123|x>', '<!here>', '*bold*', '`code`', '\n', '\t', ''),
      fc.string({ maxLength: 20 }),
      fc.fullUnicodeString({ maxLength: 10 }),
    );
    const text = fc.oneof(
      fc.array(token, { maxLength: 8 }).map((t) => t.join(' ')),
      fc.fullUnicodeString({ maxLength: 300 }),
      fc.string({ minLength: 3990, maxLength: 4100 }),
    );
    const where = fc.constantFrom('incident', 'general', 'unknown');
    await fc.assert(fc.asyncProperty(text, where, async (t, w) => {
      const channelId = w === 'incident' ? channel : w === 'general' ? 'C_GENERAL' : 'C0UNKNOWN1';
      const res = await h.driver.command(t, { userId: 'U0002', channelId });
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(STACK);
      expect(String(res.json?.text ?? '')).not.toContain('went wrong on our side');
    }), { numRuns: 100 });
    await healthy();
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).not.toMatch(/incident_bot_commands_total\{[^}]*outcome="error"\} [1-9]/);
  });
});
