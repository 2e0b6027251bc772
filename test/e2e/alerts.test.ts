/** Alerts in: Alertmanager, Grafana and PagerDuty V3 webhooks against the real bot on loopback, with real-shaped payloads. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerBody, grafanaBody, pagerDutyBody, postHook, sendAlertmanager, sendGrafana, sendPagerDuty } from '../hook-senders.js';
import { PagerDutyEmulator } from '../pagerduty-emulator/emulator.js';
import { startHarness, type Harness } from './harness.js';

const TOKEN = 'alert-token-0123456789abcdef';
const PD_SECRET = 'pd-webhook-secret-current';
const ROUTING_KEY = 'R0123456789ABCDEF0123456789ABCDE';

describe('alerts in', () => {
  let h: Harness;
  let pd: PagerDutyEmulator;

  beforeAll(async () => {
    pd = new PagerDutyEmulator();
    await pd.start();
    h = await startHarness({ ALERT_WEBHOOK_TOKEN: TOKEN, PAGERDUTY_WEBHOOK_SECRET: PD_SECRET, PAGERDUTY_ROUTING_KEY: ROUTING_KEY, PAGERDUTY_EVENTS_URL: pd.url },
      { bot: { worker: { idlePollMs: 50, backoffBaseMs: 50, backoffCapMs: 200 } } });
  });
  afterAll(async () => {
    await h?.close();
    await pd?.stop();
  });

  const incidents = async () => (await h.bot.store.incidents.listOpen()).length;
  const timeline = (id: number) => h.bot.store.timeline.list(id);
  const channelOf = (id: number) => h.emu.waitFor(async () => (await h.bot.store.incidents.get(id))?.channelId ?? undefined, { message: `INC-${id} has no channel` });
  const botSaid = (channel: string, pred: (t: string) => boolean) => h.emu.waitFor(() => h.emu.messages(channel).find((m) => m.user === 'U0BOT' && pred(m.text)), { message: 'the bot never said it' });

  let checkout: number;

  it('a firing Alertmanager group declares an incident as if typed: title, severity through ALERT_SEVERITY, summary, service, alerts on the timeline', async () => {
    const res = await sendAlertmanager(h.url, TOKEN, alertmanagerBody());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ incident: expect.stringMatching(/^INC-\d+$/), declared: true });
    checkout = Number(res.json.incident.slice(4));
    const inc = (await h.bot.store.incidents.get(checkout))!;
    expect(inc).toMatchObject({ title: 'Checkout error rate above 2%', severity: 'SEV2', services: ['checkout'], declaredBy: 'Alertmanager' });
    expect(inc.summary).toContain('5.3% of checkout requests failed');
    const entries = await timeline(checkout);
    const alert = entries.find((e) => e.kind === 'alert')!;
    expect(alert.text).toContain('CheckoutHighErrorRate');
    expect(alert.text).toContain('http://prometheus.example.com:9090/graph');
    const channel = await channelOf(checkout);
    await h.emu.waitFor(() => h.emu.pins(channel)[0], { message: 'summary not pinned' });
    // SEV2 pages through PagerDuty like a typed declaration would.
    await h.emu.waitFor(() => pd.alerts.get(`INC-${checkout}`), { message: 'not paged' });
    // The page's own timeline entry is written once PagerDuty has answered: wait for it so later counts are stable.
    await h.emu.waitFor(async () => (await timeline(checkout)).some((e) => e.kind === 'page'), { message: 'page not on the timeline' });
  });

  it('a repeated delivery (repeat_interval, retries) declares nothing and adds nothing', async () => {
    // The page's own timeline entry is written when its delivery completes, just after PagerDuty has it: settle first.
    await h.emu.waitFor(async () => {
      const s = await h.bot.queue.stats();
      return s.pending === 0 && s.inflight === 0;
    }, { message: 'outbox never drained' });
    const before = { incidents: await incidents(), timeline: (await timeline(checkout)).length, channels: h.emu.channels.length };
    for (let i = 0; i < 3; i++) {
      const res = await sendAlertmanager(h.url, TOKEN, alertmanagerBody());
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ incident: `INC-${checkout}`, declared: false });
    }
    expect(await incidents()).toBe(before.incidents);
    expect((await timeline(checkout)).length).toBe(before.timeline);
    expect(h.emu.channels.length).toBe(before.channels);
  });

  it('a new alert of the same group joins the incident on the timeline and in its channel', async () => {
    const body = alertmanagerBody([{}, { fingerprint: '9a1e77c0d3b2f415', labels: { instance: 'checkout-7d9f8c6b5-q8m2z:8080' }, annotations: { summary: 'Checkout error rate above 2% on a second pod' } }]);
    const before = await incidents();
    const res = await sendAlertmanager(h.url, TOKEN, body);
    expect(res.json).toMatchObject({ incident: `INC-${checkout}`, declared: false });
    expect(await incidents()).toBe(before);
    expect((await timeline(checkout)).some((e) => e.kind === 'alert' && e.text.includes('joined') && e.text.includes('second pod'))).toBe(true);
    await botSaid(await channelOf(checkout), (t) => t.includes('joined') && t.includes('second pod'));
  });

  it('a resolved alert is recorded and said in the channel; the incident stays open for a person to resolve', async () => {
    const body = alertmanagerBody([{ status: 'resolved' }, { fingerprint: '9a1e77c0d3b2f415', labels: { instance: 'checkout-7d9f8c6b5-q8m2z:8080' }, annotations: { summary: 'Checkout error rate above 2% on a second pod' } }]);
    const res = await sendAlertmanager(h.url, TOKEN, body);
    expect(res.json).toMatchObject({ incident: `INC-${checkout}`, declared: false });
    expect((await timeline(checkout)).filter((e) => e.kind === 'alert' && e.text.startsWith('Alert resolved'))).toHaveLength(1);
    await botSaid(await channelOf(checkout), (t) => t.includes('resolved') && t.includes('CheckoutHighErrorRate'));
    expect((await h.bot.store.incidents.get(checkout))!.status).toBe('investigating');
    // Resolved again (re-sent): recorded once.
    await sendAlertmanager(h.url, TOKEN, body);
    expect((await timeline(checkout)).filter((e) => e.kind === 'alert' && e.text.startsWith('Alert resolved'))).toHaveLength(1);
  });

  it('Grafana: a firing alert declares with its severity and links (dashboard, panel, silence)', async () => {
    const res = await sendGrafana(h.url, TOKEN, grafanaBody());
    expect(res.status).toBe(200);
    expect(res.json.declared).toBe(true);
    const id = Number(res.json.incident.slice(4));
    expect(await h.bot.store.incidents.get(id)).toMatchObject({ title: 'Search memory above 90%', severity: 'SEV1', services: ['search'] });
    const alert = (await timeline(id)).find((e) => e.kind === 'alert')!;
    expect(alert.text).toContain('https://grafana.example.com/d/mem01?orgId=1&viewPanel=3');
    expect(alert.text).toContain('silence: https://grafana.example.com/alerting/silence/new');
    expect((await sendGrafana(h.url, TOKEN, grafanaBody())).json).toMatchObject({ incident: `INC-${id}`, declared: false });
  });

  it('alert text never pings @channel or @here', async () => {
    const res = await sendAlertmanager(h.url, TOKEN, alertmanagerBody([{ fingerprint: 'ping0001', annotations: { summary: 'Disk full <!channel> @here wake up' } }], { groupKey: '{}:{alertname="DiskFull"}' }));
    expect(res.json.declared).toBe(true);
    const id = Number(res.json.incident.slice(4));
    const channel = await channelOf(id);
    await h.emu.waitFor(() => h.emu.pins(channel)[0], { message: 'summary not pinned' });
    await h.emu.waitFor(() => h.emu.messages(h.announce).find((m) => m.text.includes(`INC-${id}`)), { message: 'not announced' });
    const everything = [...h.emu.messages(channel), ...h.emu.messages(h.announce)].map((m) => JSON.stringify(m.blocks ?? m.text)).join('\n');
    expect(everything).not.toContain('<!channel>');
    expect(everything).not.toMatch(/(^|[^\u200b])@here/);
  });

  it('a bad token, a missing token, a malformed body and an oversized body change nothing', async () => {
    const before = { incidents: await incidents(), outbox: (await h.bot.queue.stats()).pending };
    const body = JSON.stringify(alertmanagerBody([{ fingerprint: 'never0001' }], { groupKey: 'never' }));
    const wrong = await postHook(h.url, '/hooks/alertmanager', body, { authorization: 'Bearer not-the-token-at-all' });
    expect(wrong.status).toBe(401);
    expect((await postHook(h.url, '/hooks/alertmanager', body)).status).toBe(401);
    expect((await postHook(h.url, '/hooks/grafana', body, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` })).status).toBe(401);
    const notJson = await postHook(h.url, '/hooks/alertmanager', '{"version": "4", ', { authorization: `Bearer ${TOKEN}` });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatch(/not JSON/);
    const noFingerprint = alertmanagerBody([{ fingerprint: '' }], { groupKey: 'never' });
    const invalid = await sendAlertmanager(h.url, TOKEN, noFingerprint);
    expect(invalid.status).toBe(400);
    expect(invalid.json.error).toContain('alerts.0.fingerprint');
    const v3 = await sendAlertmanager(h.url, TOKEN, { ...alertmanagerBody(), version: '3' });
    expect(v3.status).toBe(400);
    expect(v3.json.error).toContain('version');
    const huge = alertmanagerBody([{ fingerprint: 'huge0001', annotations: { description: 'x'.repeat(1024 * 1024) } }], { groupKey: 'never' });
    expect((await sendAlertmanager(h.url, TOKEN, huge)).status).toBe(413);
    expect((await postHook(h.url, '/hooks/pagerduty', JSON.stringify(pagerDutyBody({ eventId: 'evt-bad' })), { 'x-pagerduty-signature': 'v1=00ff' })).status).toBe(401);
    expect((await postHook(h.url, '/hooks/pagerduty', JSON.stringify(pagerDutyBody({ eventId: 'evt-bad' })))).status).toBe(401);
    expect((await fetch(`${h.url}/hooks/alertmanager`)).status).toBe(405);
    expect((await fetch(`${h.url}/hooks/nothing-here`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(await incidents()).toBe(before.incidents);
    expect((await h.bot.queue.stats()).pending).toBeLessThanOrEqual(before.outbox);
    expect(await h.bot.store.transaction(async (tx) => [await tx.alerts.latest('alertmanager', 'never0001'), await tx.alerts.latest('alertmanager', 'huge0001')])).toEqual([null, null]);
    // Still serving, and the refusals are counted.
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_hook_requests_total\{hook="alertmanager",status="401"\} [2-9]/);
    expect(metrics).toMatch(/incident_bot_hook_requests_total\{hook="alertmanager",status="413"\} 1/);
  });

  it('PagerDuty incident.triggered declares once (P2 → SEV2), is idempotent on the event id, accepts rotated signatures, is not paged back; incident.resolved is recorded', async () => {
    const triggered = pagerDutyBody({ eventId: 'evt-trig-1', incidentId: 'Q2XRV9QJ2K1L8M' });
    const res = await sendPagerDuty(h.url, ['old-secret-being-rotated', PD_SECRET], triggered);
    expect(res.status).toBe(200);
    expect(res.json.declared).toBe(true);
    const id = Number(res.json.incident.slice(4));
    expect(await h.bot.store.incidents.get(id)).toMatchObject({ title: 'Payments API latency p99 above 2s', severity: 'SEV2', services: ['Payments API'] });
    expect((await sendPagerDuty(h.url, [PD_SECRET], triggered)).json).toMatchObject({ incident: `INC-${id}`, declared: false });
    // Another event about the same PagerDuty incident (a re-trigger) declares nothing either.
    expect((await sendPagerDuty(h.url, [PD_SECRET], pagerDutyBody({ eventId: 'evt-trig-2', incidentId: 'Q2XRV9QJ2K1L8M' }))).json).toMatchObject({ incident: `INC-${id}`, declared: false });
    const low = await sendPagerDuty(h.url, [PD_SECRET], pagerDutyBody({ eventId: 'evt-trig-3', incidentId: 'Q3LOWURGENCY', priority: null, urgency: 'low', title: 'Nightly export slow' }));
    expect((await h.bot.store.incidents.get(Number(low.json.incident.slice(4))))!.severity).toBe('SEV3');
    const resolved = await sendPagerDuty(h.url, [PD_SECRET], pagerDutyBody({ eventId: 'evt-res-1', eventType: 'incident.resolved', incidentId: 'Q2XRV9QJ2K1L8M' }));
    expect(resolved.json).toMatchObject({ incident: `INC-${id}`, declared: false });
    expect((await timeline(id)).some((e) => e.kind === 'alert' && e.text.startsWith('PagerDuty incident resolved'))).toBe(true);
    await botSaid(await channelOf(id), (t) => t.includes('PagerDuty incident resolved'));
    expect((await h.bot.store.incidents.get(id))!.status).toBe('investigating');
    // It came from PagerDuty: never paged back, and /incident page says why.
    await new Promise((r) => setTimeout(r, 300));
    expect(pd.alerts.has(`INC-${id}`)).toBe(false);
    const page = await h.driver.command('page', { userId: 'U0001', channelId: await channelOf(id) });
    expect(String(page.json?.text)).toContain('came from PagerDuty');
  });
});

describe('hooks without their settings', () => {
  it('answer 404 when ALERT_WEBHOOK_TOKEN and PAGERDUTY_WEBHOOK_SECRET are unset', async () => {
    const h = await startHarness();
    try {
      for (const route of ['/hooks/alertmanager', '/hooks/grafana', '/hooks/pagerduty']) {
        expect((await postHook(h.url, route, JSON.stringify(alertmanagerBody()), { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
      }
      expect(await h.bot.store.incidents.listOpen()).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
