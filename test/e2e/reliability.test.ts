/** Delivery under injected Slack faults: lost answers (delivery key), 429 + Retry-After, circuit breaker per method, per-channel order. */
import { afterEach, describe, expect, it } from 'vitest';
import type { BotOptions } from '../../src/bot.js';
import type { SlackEmulator } from '../slack-emulator/index.js';
import { outboxRows } from '../support/e2e-store.js';
import { AnswerLosingProxy } from './answer-losing-proxy.js';
import { type Harness, startHarness } from './harness.js';

/** Fast retry timings so faults clear within a test's budget. */
const FAST: BotOptions = { worker: { backoffBaseMs: 40, backoffCapMs: 250, idlePollMs: 50 }, breaker: { failureThreshold: 3, openMs: 1000 }, slackTimeoutMs: 800 };

const textOf = (m: { text?: string; blocks?: unknown }) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`;
const containing = (emu: SlackEmulator, channel: string, needle: string) => emu.messages(channel).filter((m) => textOf(m).includes(needle));

/** Every delivery key the bot stamped appears on at most one message in the whole workspace. */
function expectNoDuplicateDeliveries(emu: SlackEmulator): void {
  const keys = emu.channels.flatMap((c) => emu.messages(c.id)).map((m) => (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key).filter((k): k is string => !!k);
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
}

async function declareReady(h: Harness, title: string, sev = 'sev2'): Promise<string> {
  const res = await h.driver.command(`declare ${sev} ${title}`, { userId: 'U0001' });
  expect(res.status).toBe(200);
  const incidents = await h.bot.store.incidents.listOpen();
  const incident = incidents.find((i) => i.title === title)!;
  const channel = await h.emu.waitFor(async () => (await h.bot.store.incidents.get(incident.id))?.channelId, { message: 'channel never created' });
  await h.emu.waitFor(() => h.emu.pins(channel).length === 1 && containing(h.emu, h.announce, title).length === 1, { message: 'declaration not delivered' });
  return channel;
}

/** Waits until every delivery is settled, except the declarer's fallback reply (held back 2.5 s by design, irrelevant here). */
async function drained(h: Harness, timeoutMs = 8000): Promise<void> {
  const settled = async () => !(await outboxRows(h.bot)).some((r) => (r.state === 'pending' || r.state === 'inflight') && r.effect.kind !== 'declared_reply');
  await h.emu.waitFor(settled, { timeoutMs, message: 'outbox never drained' });
}

/** A bot whose Web API calls pass through an AnswerLosingProxy in front of its own emulator. */
async function startBehindProxy(): Promise<{ h: Harness; proxy: AnswerLosingProxy }> {
  const { SlackEmulator } = await import('../slack-emulator/index.js');
  const emu = new SlackEmulator();
  await emu.start();
  const proxy = new AnswerLosingProxy(emu.baseUrl);
  const apiUrl = await proxy.start();
  const h = await startHarness({ SLACK_API_URL: apiUrl }, { emu, bot: FAST });
  const stopBot = h.close.bind(h);
  h.close = async () => { await stopBot(); await emu.stop(); };
  return { h, proxy };
}

describe('delivery under injected Slack faults', () => {
  let h: Harness | undefined;
  let proxy: AnswerLosingProxy | undefined;
  afterEach(async () => {
    await h?.close();
    await proxy?.stop();
    h = undefined;
    proxy = undefined;
  });

  it.each(['drop', 'hold'] as const)('a message Slack posted but whose answer was lost (%s) is found by its delivery key, not posted twice', async (mode) => {
    ({ h, proxy } = await startBehindProxy());

    const channel = await declareReady(h, 'Lost answers');
    const postsBefore = h.emu.callsTo('chat.postMessage').length;
    proxy.loseAnswer('chat.postMessage', mode, 2, 1500); // both the channel notice and the announcement
    const res = await h.driver.command('update Database failover in progress', { userId: 'U0001', channelId: channel });
    expect(res.status).toBe(200);
    await drained(h);

    expect(proxy.lost).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(containing(h.emu, channel, 'Database failover in progress')).toHaveLength(1);
    expect(containing(h.emu, h.announce, 'Database failover in progress')).toHaveLength(1);
    // Slack acted on the lost calls; the retries looked the messages up instead of posting again.
    const posts = h.emu.callsTo('chat.postMessage').slice(postsBefore);
    expect(posts.filter((c) => textOf(c.args as never).includes('Database failover in progress'))).toHaveLength(2);
    const lookups = h.emu.callsTo('conversations.history').filter((c) => String(c.args.include_all_metadata) === 'true');
    expect(lookups.map((c) => c.args.channel).sort()).toEqual([channel, h.announce].sort());
    expectNoDuplicateDeliveries(h.emu);
    expect(h.emu.violations).toEqual([]);
  });

  it('a direct message Slack posted but whose answer was lost is found in the IM, not sent twice', async () => {
    ({ h, proxy } = await startBehindProxy());

    const channel = await declareReady(h, 'Lost DM answer');
    await drained(h);
    // Assigning a role posts two messages, the channel notice and the DM of duties: lose both answers.
    proxy.loseAnswer('chat.postMessage', 'drop', 2);
    await h.driver.command('role comms <@U0006>', { userId: 'U0001', channelId: channel });
    await drained(h);
    expect(proxy.lost).toEqual(['chat.postMessage', 'chat.postMessage']);
    const duties = h.emu.dmsTo('U0006').filter((m) => /Communications Lead/.test(m.text + JSON.stringify(m.blocks ?? [])));
    expect(duties).toHaveLength(1);
    expect(h.emu.callsTo('conversations.open').length).toBeGreaterThan(0);
    expectNoDuplicateDeliveries(h.emu);
  });

  it('a postmortem upload Slack completed but whose answer was lost is not uploaded twice', async () => {
    ({ h, proxy } = await startBehindProxy());
    const channel = await declareReady(h, 'Lost upload answer');
    await drained(h);
    proxy.loseAnswer('files.completeUploadExternal', 'drop');
    await h.driver.command('postmortem', { userId: 'U0001', channelId: channel });
    await drained(h);
    expect(proxy.lost).toEqual(['files.completeUploadExternal']);
    expect(h.emu.files.filter((f) => f.name === 'INC-1-postmortem.md' && f.channels.includes(channel))).toHaveLength(1);
    expect(h.emu.callsTo('files.list').length).toBeGreaterThan(0);
    expect(h.emu.violations).toEqual([]);
  });

  it('a channel Slack created but whose answer was lost is not created twice', async () => {
    ({ h, proxy } = await startBehindProxy());

    proxy.loseAnswer('conversations.create', 'drop');
    const res = await h.driver.command('declare sev2 Created once', { userId: 'U0001' });
    expect(res.status).toBe(200);
    await drained(h);
    expect(proxy.lost).toEqual(['conversations.create']);
    const channels = h.emu.channels.filter((c) => c.name?.startsWith('inc-1-'));
    expect(channels.map((c) => c.name)).toEqual(['inc-1-created-once']);
    expect((await h.bot.store.incidents.get(1))?.channelId).toBe(channels[0]!.id);
    expect(h.emu.pins(channels[0]!.id)).toHaveLength(1);
  });

  it('honours Retry-After on a 429 and delivers once', async () => {
    h = await startHarness({}, { bot: FAST });
    const channel = await declareReady(h, 'Rate limited');
    h.emu.inject('chat.postMessage', { status: 429, retryAfter: 1 }, { match: (a) => a.channel === channel });
    await h.driver.command('update Throttled but patient', { userId: 'U0001', channelId: channel });
    await h.emu.waitFor(() => containing(h!.emu, channel, 'Throttled but patient').length === 1, { message: 'update not delivered' });
    const toChannel = h.emu.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
    const limited = toChannel.find((c) => c.status === 429)!;
    expect(limited).toBeDefined();
    const next = toChannel.find((c) => c.seq > limited.seq)!;
    expect(next.at - limited.at).toBeGreaterThanOrEqual(950);
    expect(next.at - limited.at).toBeLessThan(3000);
    expect(h.bot.breakers.state('chat.postMessage')).toBe('closed'); // a 429 is not an outage
    await drained(h);
    expect(containing(h.emu, channel, 'Throttled but patient')).toHaveLength(1);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_outbox_retries_total\{kind="channel_notice",reason="rate_limited"\} 1/);
    expect(metrics).toMatch(/incident_bot_slack_api_calls_total\{method="chat.postMessage",outcome="rate_limited"\} 1/);
  });

  it('opens the circuit of a failing method, stops hammering it, probes, closes, and keeps channel order', async () => {
    // Half a second open (not a whole one): the test waits out two open periods, the failed probe's and the one after it.
    const openMs = 500;
    h = await startHarness({}, { bot: { ...FAST, breaker: { ...FAST.breaker, openMs } } });
    const channel = await declareReady(h, 'Breaker trip');
    h.emu.inject('chat.postMessage', { status: 500 }, { times: 10_000 });
    for (let i = 1; i <= 5; i++) {
      const res = await h.driver.command(`update Ordered update ${i}`, { userId: 'U0001', channelId: channel });
      expect(res.status).toBe(200);
      expect(res.json.text).toContain('posted');
    }
    await h.emu.waitFor(() => h!.bot.breakers.state('chat.postMessage') === 'open', { message: 'breaker never opened' });
    const health = await (await fetch(`${h.url}/healthz`)).json() as Record<string, any>;
    expect(health).toMatchObject({ status: 'degraded', database: 'ok', slack: 'degraded', circuits: { 'chat.postMessage': 'open' } });
    expect(health.circuits['chat.update']).toBeUndefined(); // other methods keep their own, closed circuit
    expect(await (await fetch(`${h.url}/metrics`)).text()).toMatch(/incident_bot_circuit_state\{method="chat.postMessage"\} 2/);

    // While open, nothing goes to the failing method: the retries meet the open circuit, and the next call (the probe)
    // reaches Slack a whole open period after the last failure (checked from the calls' times, not by sleeping a while).
    const calls = h.emu.callsTo('chat.postMessage').length;
    const lastFailureAt = h.emu.callsTo('chat.postMessage').at(-1)!.at;
    await h.emu.waitFor(async () => /incident_bot_slack_api_calls_total\{method="chat.postMessage",outcome="circuit_open"\} [1-9]/.test(await (await fetch(`${h!.url}/metrics`)).text()), { message: 'no call met the open circuit' });
    // After the open period calls go out again, and failing, open the circuit again. How many go out first depends on
    // which probe comes first: the worker's single half-open call, or the bot's api.test probe, which closes every due
    // circuit on probation when Slack answers it (so /healthz recovers for methods nobody calls), letting the waiting
    // deliveries go at once. Both are proved on a fake clock in test/slack/circuit-breaker.test.ts.
    await h.emu.waitFor(() => h!.emu.callsTo('chat.postMessage').length > calls, { message: 'no half-open probe', timeoutMs: 3000 });
    const probeAt = h.emu.callsTo('chat.postMessage')[calls]!.at;
    expect(probeAt - lastFailureAt).toBeGreaterThanOrEqual(openMs);
    await h.emu.waitFor(() => h!.bot.breakers.state('chat.postMessage') === 'open', { message: 'the failed probe did not open the circuit again' });

    h.emu.clearFaults();
    await drained(h, 10_000);
    expect(h.bot.breakers.state('chat.postMessage')).toBe('closed');
    const updates = h.emu.messages(channel).map(textOf).flatMap((t) => /Ordered update (\d)/.exec(t)?.[1] ?? []);
    expect(updates).toEqual(['1', '2', '3', '4', '5']);
    expect(containing(h.emu, h.announce, 'Ordered update')).toHaveLength(5);
    expectNoDuplicateDeliveries(h.emu);
    const healthAfter = await (await fetch(`${h.url}/healthz`)).json() as Record<string, any>;
    expect(healthAfter).toMatchObject({ status: 'ok', slack: 'ok', circuits: {}, outbox: { dead: 0 } });
  });

  it('retries a timed-out or reset call and keeps going after a burst of transient errors', async () => {
    h = await startHarness({}, { bot: FAST });
    const channel = await declareReady(h, 'Flaky network');
    h.emu.inject('chat.postMessage', { reset: true }, { match: (a) => a.channel === channel });
    h.emu.inject('chat.postMessage', { delayMs: 1500 }, { match: (a) => a.channel === channel });
    h.emu.inject('chat.postMessage', { error: 'internal_error' }, { match: (a) => a.channel === channel });
    await h.driver.command('update Survives the weather', { userId: 'U0001', channelId: channel });
    await drained(h);
    expect(containing(h.emu, channel, 'Survives the weather')).toHaveLength(1);
    const tries = h.emu.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && textOf(c.args as never).includes('Survives the weather'));
    expect(tries.map((c) => c.fault ?? 'ok')).toEqual(['reset', 'delay 1500ms', 'error internal_error', 'ok']);
    const rows = (await outboxRows(h.bot)).filter((r) => JSON.stringify(r.effect).includes('status_update') && r.lane === 'channel:1');
    expect(rows.map((r) => ({ attempts: r.attempts, state: r.state }))).toEqual([{ attempts: 4, state: 'done' }]);
  });

  it('a permanent Slack error buries the item (visible in /healthz) and later messages still flow', async () => {
    h = await startHarness({}, { bot: FAST });
    const channel = await declareReady(h, 'Refused once');
    h.emu.inject('chat.postMessage', { error: 'msg_blocks_too_long' }, { match: (a) => a.channel === channel });
    await h.driver.command('update This one is refused', { userId: 'U0001', channelId: channel });
    await h.driver.command('update This one goes through', { userId: 'U0001', channelId: channel });
    await drained(h);
    expect(containing(h.emu, channel, 'This one goes through')).toHaveLength(1);
    expect(containing(h.emu, channel, 'This one is refused')).toHaveLength(0);
    const health = await (await fetch(`${h.url}/healthz`)).json() as Record<string, any>;
    expect(health.outbox).toMatchObject({ dead: 1 });
    expect((await outboxRows(h.bot)).filter((r) => r.state === 'dead').map((r) => r.lastError)).toEqual(['chat.postMessage: msg_blocks_too_long']);
    expect(health.circuits).toEqual({});
  });
});
