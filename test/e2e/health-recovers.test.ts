/** Issue 12 item 8: /healthz recovers when Slack does, even for a method nobody calls again: open circuits are probed. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

describe('circuit probing', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('an open circuit of a method nobody calls again closes once a probe finds Slack back, and /healthz says ok', async () => {
    h = await startHarness({}, { bot: { breaker: { failureThreshold: 2, openMs: 300 } } });
    const health = async () => (await (await fetch(`${h!.url}/healthz`)).json()) as { slack: string; circuits: Record<string, string> };
    h.emu.inject('conversations.history', { status: 500 }, { times: 2 });
    for (let i = 0; i < 2; i++) await h.bot.api.web.conversations.history({ channel: h.announce }).catch(() => undefined);
    expect((await health()).circuits['conversations.history']).toBe('open');
    expect((await health()).slack).toBe('degraded');
    // Nothing calls conversations.history again; Slack is fine meanwhile.
    const ok = await h.emu.waitFor(async () => ((await health()).slack === 'ok' ? true : undefined), { timeoutMs: 5_000, message: '/healthz stayed degraded after Slack recovered' });
    expect(ok).toBe(true);
    expect(h.emu.callsTo('conversations.history')).toHaveLength(2);
    expect(h.emu.callsTo('api.test').length).toBeGreaterThan(0);
  });

  it('while Slack is still down the probe fails and the circuit stays open', async () => {
    h = await startHarness({}, { bot: { breaker: { failureThreshold: 2, openMs: 300 } } });
    const health = async () => (await (await fetch(`${h!.url}/healthz`)).json()) as { slack: string };
    h.emu.setOutage(true);
    for (let i = 0; i < 2; i++) await h.bot.api.web.conversations.history({ channel: h.announce }).catch(() => undefined);
    await h.emu.waitFor(() => h!.emu.callsTo('api.test').length >= 2, { timeoutMs: 5_000, message: 'never probed' });
    expect((await health()).slack).toBe('degraded');
    h.emu.setOutage(false);
    await h.emu.waitFor(async () => ((await health()).slack === 'ok' ? true : undefined), { timeoutMs: 5_000, message: 'never recovered' });
  });
});
