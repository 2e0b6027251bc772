import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/observability/metrics.js';
import { backoffMs, CircuitBreakers } from '../../src/slack/circuit-breaker.js';
import { SlackApi, SlackCallError } from '../../src/slack/slack-api.js';
import { SlackEmulator } from '../slack-emulator/index.js';

const M = 'chat.postMessage';

describe('circuit breaker state machine (injected time)', () => {
  let b: CircuitBreakers;
  beforeEach(() => { b = new CircuitBreakers({ failureThreshold: 3, openMs: 1000 }); });

  it('a successful probe of Slack closes due circuits on probation: the next failure opens it again, a success ends it', () => {
    for (let i = 0; i < 3; i++) b.failure(M, 100);
    expect(b.probeDue(600)).toEqual([]); // still open
    expect(b.probeSucceeded(600)).toEqual([]);
    expect(b.state(M)).toBe('open');
    expect(b.probeDue(1100)).toEqual([M]);
    expect(b.probeSucceeded(1100)).toEqual([M]);
    expect(b.unhealthy()).toEqual({}); // /healthz recovers though nobody called the method
    b.failure(M, 1200); // the method itself still fails: one call, and it is open again
    expect(b.state(M)).toBe('open');
    expect(b.admit(M, 1300)).toEqual({ ok: false, retryInMs: 900 });

    expect(b.probeSucceeded(2200)).toEqual([M]);
    b.success(M); // a call of its own succeeded: a full threshold of failures is needed again
    b.failure(M, 2300);
    b.failure(M, 2301);
    expect(b.state(M)).toBe('closed');
    b.failure(M, 2302);
    expect(b.state(M)).toBe('open');
  });

  it('stays closed below the threshold and opens at it', () => {
    expect(b.state(M)).toBe('closed');
    b.failure(M, 0);
    b.failure(M, 1);
    expect(b.state(M)).toBe('closed');
    expect(b.admit(M, 2)).toEqual({ ok: true });
    b.failure(M, 2);
    expect(b.state(M)).toBe('open');
    expect(b.unhealthy()).toEqual({ [M]: 'open' });
  });

  it('a success resets the count: only consecutive failures open it', () => {
    b.failure(M, 0);
    b.failure(M, 0);
    b.success(M);
    b.failure(M, 0);
    b.failure(M, 0);
    expect(b.state(M)).toBe('closed');
  });

  it('open refuses calls with the time left, then lets exactly one half-open probe through', () => {
    for (let i = 0; i < 3; i++) b.failure(M, 100);
    expect(b.admit(M, 100)).toEqual({ ok: false, retryInMs: 1000 });
    expect(b.admit(M, 600)).toEqual({ ok: false, retryInMs: 500 });
    expect(b.admit(M, 1099)).toEqual({ ok: false, retryInMs: 1 });
    expect(b.state(M)).toBe('open');
    expect(b.admit(M, 1100)).toEqual({ ok: true }); // the probe
    expect(b.state(M)).toBe('half_open');
    const second = b.admit(M, 1100);
    expect(second.ok).toBe(false);
    expect(b.admit(M, 1500).ok).toBe(false); // still one probe at a time
    expect(b.unhealthy()).toEqual({ [M]: 'half_open' });
  });

  it('a failed probe re-opens for a full period from the probe time', () => {
    for (let i = 0; i < 3; i++) b.failure(M, 0);
    expect(b.admit(M, 1000).ok).toBe(true);
    b.failure(M, 1200);
    expect(b.state(M)).toBe('open');
    expect(b.admit(M, 1300)).toEqual({ ok: false, retryInMs: 900 });
    expect(b.admit(M, 2200).ok).toBe(true);
    expect(b.state(M)).toBe('half_open');
  });

  it('a successful probe closes the circuit and clears the failure count', () => {
    for (let i = 0; i < 3; i++) b.failure(M, 0);
    expect(b.admit(M, 1000).ok).toBe(true);
    b.success(M);
    expect(b.state(M)).toBe('closed');
    expect(b.unhealthy()).toEqual({});
    b.failure(M, 1001);
    b.failure(M, 1002);
    expect(b.state(M)).toBe('closed');
    expect(b.admit(M, 1003)).toEqual({ ok: true });
  });

  it('keeps one circuit per method', () => {
    for (let i = 0; i < 3; i++) b.failure(M, 0);
    expect(b.admit('conversations.create', 0)).toEqual({ ok: true });
    expect(b.all()).toEqual({ [M]: 'open', 'conversations.create': 'closed' });
  });
});

describe('backoff with jitter', () => {
  it('grows exponentially, is capped, and is jittered over the whole range', () => {
    const top = () => 0.999999;
    expect(backoffMs(0, top, 500, 60_000)).toBe(499);
    expect(backoffMs(1, top, 500, 60_000)).toBe(999);
    expect(backoffMs(3, top, 500, 60_000)).toBe(3999);
    expect(backoffMs(7, top, 500, 60_000)).toBe(59_999);
    expect(backoffMs(50, top, 500, 60_000)).toBe(59_999);
    expect(backoffMs(5, () => 0.5, 500, 60_000)).toBe(8000);
    expect(backoffMs(5, () => 0, 500, 60_000)).toBe(50); // floor: never a hot loop
    // Jitter: many draws spread across the range instead of all retrying together.
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const draws = Array.from({ length: 200 }, () => backoffMs(4, rnd, 500, 60_000));
    expect(Math.max(...draws)).toBeLessThanOrEqual(8000);
    expect(new Set(draws).size).toBeGreaterThan(150);
    expect(Math.min(...draws)).toBeLessThan(2000);
    expect(Math.max(...draws)).toBeGreaterThan(6000);
  });
});

describe('SlackApi: classification and breakers against the emulator', () => {
  const emu = new SlackEmulator();
  let now = 1_000_000;
  let breakers: CircuitBreakers;
  let metrics: Metrics;
  let api: SlackApi;
  beforeAll(async () => { await emu.start(); });
  afterAll(async () => { await emu.stop(); });
  beforeEach(() => {
    emu.reset();
    now = 1_000_000;
    breakers = new CircuitBreakers({ failureThreshold: 3, openMs: 5000 });
    metrics = new Metrics(false);
    api = new SlackApi({ token: 'xoxb-unit-test', slackApiUrl: emu.apiUrl, timeoutMs: 300 }, breakers, metrics, () => now);
  });
  const general = () => emu.channelByName('general')?.id ?? emu.createChannel('general', { members: ['U0BOT'] }).id;
  const failureOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      expect(err).toBeInstanceOf(SlackCallError);
      return (err as SlackCallError).failure;
    }
    throw new Error('expected the call to fail');
  };

  it('opens after repeated 5xx, stops calling Slack while open, probes once, closes on success', async () => {
    const channel = general();
    emu.inject(M, { status: 500 }, { times: 3 });
    for (let i = 0; i < 3; i++) expect((await failureOf(api.web.chat.postMessage({ channel, text: 'x' }))).kind).toBe('transient');
    expect(breakers.state(M)).toBe('open');
    const callsBefore = emu.callsTo(M).length;
    expect(await failureOf(api.web.chat.postMessage({ channel, text: 'x' }))).toEqual({ kind: 'circuit_open', retryInMs: 5000 });
    expect(emu.callsTo(M)).toHaveLength(callsBefore); // nothing went out
    // Other methods are unaffected.
    await api.web.conversations.history({ channel });
    now += 5000;
    await api.web.chat.postMessage({ channel, text: 'probe' });
    expect(breakers.state(M)).toBe('closed');
    expect(emu.messages(channel).map((m) => m.text)).toEqual(['probe']);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/incident_bot_slack_api_calls_total\{method="chat.postMessage",outcome="circuit_open"\} 1/);
    expect(text).toMatch(/incident_bot_slack_api_calls_total\{method="chat.postMessage",outcome="transient"\} 3/);
  });

  it('timeouts and connection resets count as transient; Slack error codes do not open the circuit', async () => {
    const channel = general();
    emu.inject(M, { delayMs: 1000 });
    expect((await failureOf(api.web.chat.postMessage({ channel, text: 'slow' }))).kind).toBe('transient');
    emu.inject(M, { reset: true });
    expect((await failureOf(api.web.chat.postMessage({ channel, text: 'reset' }))).kind).toBe('transient');
    for (let i = 0; i < 5; i++) expect(await failureOf(api.web.chat.postMessage({ channel: 'C_DOES_NOT_EXIST', text: 'x' }))).toEqual({ kind: 'slack_error', code: 'channel_not_found' });
    expect(breakers.state(M)).toBe('closed');
    emu.inject(M, { error: 'internal_error' });
    expect(await failureOf(api.web.chat.postMessage({ channel, text: 'x' }))).toEqual({ kind: 'transient', detail: 'internal_error' });
  });

  it('turns a 429 into rate_limited with the Retry-After in ms, without opening the circuit', async () => {
    emu.inject(M, { status: 429, retryAfter: 7 }, { times: 5 });
    for (let i = 0; i < 5; i++) expect(await failureOf(api.web.chat.postMessage({ channel: general(), text: 'x' }))).toEqual({ kind: 'rate_limited', retryAfterMs: 7000 });
    expect(breakers.state(M)).toBe('closed');
    expect(emu.callsTo(M)).toHaveLength(5); // no hidden client retries
  });
});
