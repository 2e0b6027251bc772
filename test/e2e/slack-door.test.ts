/** Modals go through the one door to Slack: counted in /metrics, guarded by the views.open circuit that /healthz shows. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

describe('modals through the one door to Slack', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('a modal opened from the command and from the shortcut is counted as a views.open call', async () => {
    h = await startHarness();
    await h.driver.command('declare', { userId: 'U0001' });
    await h.emu.waitFor(() => h!.emu.latestModal({ callbackId: 'declare_incident_modal', userId: 'U0001' }));
    await h.driver.messageShortcut({ callbackId: 'declare_incident', userId: 'U0002', channelId: 'C_GENERAL', message: { ts: '1700000000.000100', text: 'disk full', user: 'U0004' } });
    await h.emu.waitFor(() => h!.emu.latestModal({ callbackId: 'declare_incident_modal', userId: 'U0002' }));
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_slack_api_calls_total\{method="views.open",outcome="ok"\} 2\n/);
  });

  it('failing views.open opens its circuit: /healthz shows it, and the next form is refused without calling Slack', async () => {
    h = await startHarness({}, { bot: { breaker: { failureThreshold: 2, openMs: 60_000 } } });
    h.emu.inject('views.open', { status: 500 }, { times: 2 });
    await h.driver.command('declare', { userId: 'U0003' });
    await h.emu.waitFor(() => h!.emu.responses.filter((r) => JSON.stringify(r.body).includes('could not open the form')).length === 1 || undefined, { timeoutMs: 8000 });
    expect(h.emu.callsTo('views.open')).toHaveLength(2); // one retry of a 5xx, as Bolt's client did
    const health = (await (await fetch(`${h.url}/healthz`)).json()) as { slack: string; circuits: Record<string, string> };
    expect(health.circuits['views.open']).toBe('open');
    expect(health.slack).toBe('degraded');
    await h.driver.command('declare', { userId: 'U0003' });
    await h.emu.waitFor(() => h!.emu.responses.filter((r) => JSON.stringify(r.body).includes('could not open the form')).length === 2 || undefined, { timeoutMs: 8000 });
    expect(h.emu.callsTo('views.open')).toHaveLength(2); // refused by the open circuit, nothing went out
    expect(await (await fetch(`${h.url}/metrics`)).text()).toMatch(/incident_bot_slack_api_calls_total\{method="views.open",outcome="circuit_open"\} 1\n/);
  });
});
