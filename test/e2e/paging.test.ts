/** Pages out: Events API v2 through the PagerDuty outbox target, against the PagerDuty emulator, with injected faults. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PagerDutyEmulator } from '../pagerduty-emulator/emulator.js';
import { startHarness, type Harness } from './harness.js';
import { declare } from './incident-helpers.js';

const ROUTING_KEY = 'R0123456789ABCDEF0123456789ABCDE';

describe('pages out through PagerDuty', () => {
  let h: Harness;
  let pd: PagerDutyEmulator;

  beforeAll(async () => {
    pd = new PagerDutyEmulator([ROUTING_KEY]);
    await pd.start();
    h = await startHarness({ PAGERDUTY_ROUTING_KEY: ROUTING_KEY, PAGERDUTY_EVENTS_URL: pd.url },
      { bot: { worker: { idlePollMs: 50, backoffBaseMs: 100, backoffCapMs: 400 }, breaker: { openMs: 300 }, targetTimeoutMs: 1500 } });
  });
  afterAll(async () => {
    await h?.close();
    await pd?.stop();
  });

  const botSaid = (channel: string, pred: (t: string) => boolean, message: string) =>
    h.emu.waitFor(() => h.emu.messages(channel).find((m) => m.user === 'U0BOT' && pred(m.text)), { message, timeoutMs: 10_000 });

  it('a SEV2 declaration pages once, even across an injected 500, a 429 and a lost answer; the page is on the timeline and in the channel', async () => {
    pd.inject({ kind: 'status', status: 500 }, { kind: 'status', status: 429, retryAfter: '1' }, { kind: 'lose_answer' });
    const inc = await declare(h, 'sev2 Checkout failing for EU customers');
    const alert = await h.emu.waitFor(() => (pd.alerts.get(inc.ref)?.status === 'triggered' && pd.requests.filter((r) => r.status === 202).length >= 1 ? pd.alerts.get(inc.ref) : undefined), { message: 'never paged', timeoutMs: 10_000 });
    expect(alert.notifications).toBe(1);
    expect(alert.severity).toBe('error');
    expect(alert.summary).toContain('Checkout failing for EU customers');
    expect(alert.links[0]!.href).toContain(inc.channel);
    // The lost answer made the bot send again: PagerDuty saw the trigger twice under one dedup key and paged once.
    expect(pd.events.filter((e) => e.body.dedup_key === inc.ref && e.body.event_action === 'trigger')).toHaveLength(2);
    expect(pd.requests.map((r) => r.status)).toEqual([500, 429, 0, 202]);
    await botSaid(inc.channel, (t) => t.includes('Paged through PagerDuty') && t.includes(inc.ref), 'page not said in the channel');
    const entries = await h.bot.store.timeline.list(inc.id);
    expect(entries.filter((e) => e.kind === 'page').map((e) => e.text).join('\n')).toMatch(/Paging through PagerDuty[\s\S]*PagerDuty accepted the page/);
    expect(await h.bot.metrics.registry.metrics()).toMatch(/incident_bot_outbox_target_retries_total\{target="pagerduty",reason="rate_limited"\} 1/);
  });

  it('resolving the incident resolves the page with the same dedup key', async () => {
    const inc = await declare(h, 'sev1 Payments down');
    await h.emu.waitFor(() => pd.alerts.get(inc.ref), { message: 'never paged', timeoutMs: 10_000 });
    const res = await h.driver.command('resolve rolled back', { userId: 'U0001', channelId: inc.channel });
    expect(res.status).toBe(200);
    await h.emu.waitFor(() => pd.alerts.get(inc.ref)?.status === 'resolved', { message: 'page not resolved', timeoutMs: 10_000 });
    expect(pd.events.filter((e) => e.body.dedup_key === inc.ref).map((e) => e.body.event_action)).toEqual(['trigger', 'resolve']);
    expect(pd.alerts.get(inc.ref)!.severity).toBe('critical');
    await botSaid(inc.channel, (t) => t.includes('PagerDuty page resolved'), 'resolve not said in the channel');
  });

  it('a SEV3 declaration does not page; raising it to SEV2 does, once', async () => {
    const inc = await declare(h, 'sev3 Slow search');
    await new Promise((r) => setTimeout(r, 400));
    expect(pd.alerts.has(inc.ref)).toBe(false);
    await h.driver.command('severity sev2', { userId: 'U0001', channelId: inc.channel });
    await h.emu.waitFor(() => pd.alerts.get(inc.ref), { message: 'raise did not page', timeoutMs: 10_000 });
    await h.driver.command('severity sev1', { userId: 'U0001', channelId: inc.channel });
    await new Promise((r) => setTimeout(r, 400));
    expect(pd.events.filter((e) => e.body.dedup_key === inc.ref)).toHaveLength(1); // already paging: no second page
  });

  it('/incident page pages a SEV4, with the message, whatever PAGE_SEVERITIES says', async () => {
    const inc = await declare(h, 'sev4 Typo on the status page');
    const res = await h.driver.command('page need a second pair of eyes', { userId: 'U0002', channelId: inc.channel });
    expect(String(res.json?.text)).toContain('Paging');
    const alert = await h.emu.waitFor(() => pd.alerts.get(inc.ref), { message: 'never paged', timeoutMs: 10_000 });
    expect(alert.severity).toBe('info');
    expect(alert.summary).toContain('need a second pair of eyes');
    expect((await h.bot.store.timeline.list(inc.id)).some((e) => e.kind === 'page' && e.actor === 'U0002')).toBe(true);
  });

  it('PagerDuty down for a while loses nothing and delays no Slack message', async () => {
    pd.down(60_000);
    try {
    const started = Date.now();
    const inc = await declare(h, 'sev1 Database primary unreachable'); // channel, summary, topic, invite, announcement
    const slackDone = Date.now() - started;
    const notice = await h.driver.command('log failing over to the replica', { userId: 'U0001', channelId: inc.channel });
    expect(notice.status).toBe(200);
    await h.driver.command('status identified', { userId: 'U0001', channelId: inc.channel });
    await botSaid(inc.channel, (t) => t.includes('Identified'), 'status change not said while PagerDuty is down');
    expect(slackDone).toBeLessThan(5_000);
    await h.emu.waitFor(() => pd.requests.some((r) => r.status === 503), { message: 'the page was never tried', timeoutMs: 10_000 });
    expect(pd.alerts.has(inc.ref)).toBe(false);
    // The page waits in the database: pending between attempts, or in flight during one (a retry every 100-400 ms; on
    // PostgreSQL an attempt's claim and release take long enough that /healthz often catches it in flight).
    const health = await (await fetch(`${h.url}/healthz`)).json() as { outbox: { pending: number; inflight: number } };
    expect(health.outbox.pending + health.outbox.inflight).toBeGreaterThan(0);
    pd.up();
    const alert = await h.emu.waitFor(() => pd.alerts.get(inc.ref), { message: 'page lost after PagerDuty came back', timeoutMs: 15_000 });
    expect(alert.notifications).toBe(1);
    await botSaid(inc.channel, (t) => t.includes('Paged through PagerDuty'), 'page not said after recovery');
    } finally {
      pd.up();
    }
  });

  it('an event PagerDuty refuses (400) is not retried and the channel is told nobody was paged', async () => {
    const h2 = await startHarness({ PAGERDUTY_ROUTING_KEY: 'Z9999999999999999999999999999999', PAGERDUTY_EVENTS_URL: pd.url }, { bot: { worker: { idlePollMs: 50, backoffBaseMs: 100, backoffCapMs: 400 } } });
    try {
      const inc = await declare(h2, 'sev1 Wrong key test');
      await h2.emu.waitFor(() => h2.emu.messages(inc.channel).find((m) => m.text.includes('PagerDuty refused the page')), { message: 'refusal not said', timeoutMs: 10_000 });
      const refusals = pd.requests.filter((r) => r.status === 400).length;
      await new Promise((r) => setTimeout(r, 400));
      expect(pd.requests.filter((r) => r.status === 400).length).toBe(refusals);
    } finally {
      await h2.close();
    }
  });
});
