/** A Slack outage: commands keep being acknowledged, /healthz and /metrics tell the truth, logs say what waits, and everything lands once afterwards. */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import type { SlackEmulator } from '../slack-emulator/index.js';
import { type Harness, startHarness } from './harness.js';

const textOf = (m: { text?: string; blocks?: unknown }) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`;
const containing = (emu: SlackEmulator, channel: string, needle: string) => emu.messages(channel).filter((m) => textOf(m).includes(needle));

/** The value of one Prometheus sample (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelPart = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (want.every((w) => labelPart.split(',').includes(w))) total += Number(line.split(' ').pop());
  }
  return total;
}

/**
 * Takes the bot's database away under it. SQLite: its connection is closed. PostgreSQL: the database stops taking
 * connections and the bot's are cut (as when the server goes away for this bot only).
 */
async function loseDatabase(h: Harness): Promise<void> {
  if (!h.bot.pg) {
    h.bot.sqlite!.close();
    return;
  }
  // From the cluster's `postgres` database: a database cannot shut itself off.
  const url = new URL(h.env.DATABASE_URL!);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
  } finally {
    await client.end();
  }
}

describe('while Slack is unreachable', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('keeps accepting commands, reports the backlog honestly, and delivers everything exactly once when Slack is back', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', [], { write: (s: string) => { lines.push(s); } });
    h = await startHarness({}, { bot: { logger, worker: { backoffBaseMs: 40, backoffCapMs: 300, idlePollMs: 50 }, breaker: { failureThreshold: 3, openMs: 400 }, slackTimeoutMs: 1000 } });
    const emu = h.emu;

    await h.driver.command('declare sev2 Payments down', { userId: 'U0001' });
    const first = await emu.waitFor(async () => (await h!.bot.store.incidents.get(1))?.channelId);
    await emu.waitFor(() => emu.pins(first).length === 1 && containing(emu, h!.announce, 'Payments down').length === 1, { message: 'first declaration not delivered' });
    // Everything the declaration queued is out before the outage, so what waits in the channel's lane is the outage's own.
    await emu.waitFor(async () => { const s = await h!.bot.queue.stats(); return s.pending === 0 && s.inflight === 0; }, { message: 'declaration work never drained' });

    emu.setOutage(true);
    const outageStart = Date.now();
    const timed = async (text: string, channelId?: string) => {
      const t0 = performance.now();
      const res = await h!.driver.command(text, { userId: 'U0001', ...(channelId ? { channelId } : {}) });
      return { res, ms: performance.now() - t0 };
    };
    const answers = await Promise.all([
      ...[1, 2, 3, 4, 5].map((i) => timed(`log outage note ${i}`, first)),
      timed('update Failing over to the standby region', first),
      timed('declare sev3 Second during outage'),
    ]);
    answers.push(await timed('severity sev1', first));
    answers.push(await timed('role ic <@U0002>', first));
    for (const a of answers) {
      expect(a.res.status).toBe(200);
      expect(a.ms).toBeLessThan(3000);
      expect(a.res.json.text).not.toMatch(/went wrong/i);
    }
    expect(answers.slice(0, 5).every((a) => a.res.json.text.includes('Added to the INC-1 timeline'))).toBe(true);
    expect(answers[7]!.res.json.text).toContain('severity changed from SEV2 to SEV1');
    // State is committed even though Slack saw nothing.
    expect((await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'log')).toHaveLength(5);
    expect((await h.bot.store.incidents.get(2))?.channelId).toBeNull();

    // /healthz: 200 (the database answers) but honest about Slack and the backlog.
    const health = await emu.waitFor(async () => {
      const res = await fetch(`${h!.url}/healthz`);
      const body = await res.json() as Record<string, any>;
      return res.status === 200 && Object.keys(body.circuits).length >= 2 && body.outbox.pending + body.outbox.inflight > 0 ? body : null;
    }, { message: 'healthz never showed the outage', timeoutMs: 5000 });
    expect(health).toMatchObject({ status: 'degraded', database: 'ok', slack: 'degraded' });
    for (const state of Object.values(health.circuits)) expect(['open', 'half_open']).toContain(state);
    // The oldest waiting item was queued during the outage, so its age (in seconds) is at most the outage's length so far.
    expect(health.outbox.oldestPendingAgeSeconds).toEqual(expect.any(Number));
    expect(health.outbox.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(health.outbox.oldestPendingAgeSeconds).toBeLessThanOrEqual(Math.ceil((Date.now() - outageStart) / 1000));

    // A retry meets an open circuit within a backoff or two (fewer go at once now that a channel's deliveries queue in one lane).
    const metrics = await emu.waitFor(async () => {
      const text = await (await fetch(`${h!.url}/metrics`)).text();
      return sample(text, 'incident_bot_slack_api_calls_total', { outcome: 'circuit_open' }) > 0 ? text : null;
    }, { message: 'no call met an open circuit' });
    expect(sample(metrics, 'incident_bot_outbox_depth', { state: 'pending' }) + sample(metrics, 'incident_bot_outbox_depth', { state: 'inflight' })).toBeGreaterThan(0);
    expect(sample(metrics, 'incident_bot_outbox_retries_total')).toBeGreaterThan(0);
    expect(Math.max(...Object.keys(health.circuits).map((m) => sample(metrics, 'incident_bot_circuit_state', { method: m })))).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'incident_bot_commands_total', { subcommand: 'log', outcome: 'ok' })).toBe(5);
    expect(sample(metrics, 'incident_bot_commands_total', { subcommand: 'declare', outcome: 'ok' })).toBe(2);
    expect(sample(metrics, 'incident_bot_ack_latency_seconds_count', { type: 'command' })).toBe(10);
    expect(sample(metrics, 'incident_bot_ack_latency_seconds_bucket', { type: 'command', le: '3' })).toBe(10);
    expect(sample(metrics, 'incident_bot_slack_api_calls_total', { outcome: 'transient' })).toBeGreaterThan(0);
    expect(sample(metrics, 'incident_bot_slack_api_calls_total', { outcome: 'circuit_open' })).toBeGreaterThan(0);
    expect(sample(metrics, 'incident_bot_incidents_open', { severity: 'SEV1' })).toBe(1);
    expect(sample(metrics, 'incident_bot_incidents_open', { severity: 'SEV3' })).toBe(1);
    expect(sample(metrics, 'incident_bot_incidents_open', { severity: 'SEV2' })).toBe(0);

    // Logs say what is waiting and why.
    const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const retries = logs.filter((l) => l.msg === 'outbox: delivery failed; will retry');
    // INC-1's channel lane is headed by the summary refresh its first entry queued; its notices wait behind it, in order.
    expect(retries.some((l) => l.incident === 'INC-1' && l.effect === 'refresh_summary' && String(l.err).includes('503'))).toBe(true);
    expect(retries.some((l) => l.incident === 'INC-2' && l.effect === 'create_channel')).toBe(true);

    await new Promise((r) => setTimeout(r, 500));
    emu.setOutage(false);

    await emu.waitFor(async () => {
      const s = await h!.bot.queue.stats();
      return s.pending === 0 && s.inflight === 0;
    }, { timeoutMs: 15_000, message: 'backlog not delivered after the outage' });
    // The circuits close on their next successful call, which may come just after the backlog is empty.
    await expect.poll(async () => (await fetch(`${h!.url}/healthz`)).json(), { timeout: 5000, interval: 100 })
      .toMatchObject({ status: 'ok', slack: 'ok', circuits: {}, outbox: { pending: 0, inflight: 0, dead: 0 } });

    // Everything arrived, once.
    expect(containing(emu, first, 'Failing over to the standby region')).toHaveLength(1);
    expect(containing(emu, h.announce, 'Failing over to the standby region')).toHaveLength(1);
    expect(containing(emu, first, 'Severity raised')).toHaveLength(1);
    expect(containing(emu, h.announce, 'raised from SEV2 to *SEV1*')).toHaveLength(1);
    expect(containing(emu, first, 'is now the *Incident Commander*')).toHaveLength(1);
    expect(emu.dmsTo('U0002')).toHaveLength(1);
    const second = emu.channels.filter((c) => c.name?.startsWith('inc-2-'));
    expect(second.map((c) => c.name)).toEqual(['inc-2-second-during-outage']);
    expect(emu.pins(second[0]!.id)).toHaveLength(1);
    expect(containing(emu, h.announce, 'Second during outage')).toHaveLength(1);
    expect(emu.responses.filter((r) => JSON.stringify(r.body).includes(`<#${second[0]!.id}>`))).toHaveLength(1);
    const keys = emu.channels.flatMap((c) => emu.messages(c.id)).map((m) => (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key).filter(Boolean);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    expect(emu.violations).toEqual([]);
  });

  it('/healthz answers 503 once the database stops answering, without crashing the process', async () => {
    h = await startHarness();
    const ok = await fetch(`${h.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', database: 'ok' });
    await loseDatabase(h);
    const down = await fetch(`${h.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'down', database: 'unreachable' });
    const metrics = await fetch(`${h.url}/metrics`);
    expect(metrics.status).toBe(503);
    const cmd = await h.driver.command('list', { userId: 'U0001' });
    expect(cmd.status).toBeLessThan(500);
    // SQLite (its connection closed under the bot): a generic failure; PostgreSQL: the database cannot be reached.
    expect(cmd.json.text).toMatch(h.bot.pg ? /The incident database cannot be reached right now, so nothing was changed/ : /went wrong on our side/);
  });
});
