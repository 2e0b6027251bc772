/** /metrics: valid Prometheus text (promtool check metrics), a build_info gauge with the version, and ack timing for every kind of request. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/ids.js';
import { type Harness, startHarness } from './harness.js';
import { declare } from './incident-helpers.js';

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => fs.existsSync(p)) ?? 'promtool';

/** Runs `promtool check metrics` with `text` on stdin. */
function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(PROMTOOL, ['check', 'metrics'], (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('promtool is not installed (Debian package prometheus; .ci/run installs it)'));
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
    child.stdin!.end(text);
  });
}

describe('/metrics', () => {
  let h: Harness;
  let metrics: string;

  beforeAll(async () => {
    h = await startHarness();
    // One request of every kind Slack sends.
    const inc = await declare(h, 'Metrics for every kind');
    await h.driver.command('help');
    await h.driver.blockAction({ userId: 'U0002', actionId: ACTION.resolve, value: String(inc.id), channelId: inc.channel, messageTs: inc.summaryTs });
    const modal = await h.emu.waitFor(() => [...h.emu.views.values()].find((v) => v.type === 'modal'), { message: 'no modal opened' });
    await h.driver.viewSubmission({ userId: 'U0002', view: h.driver.submissionFromOpenedView(modal.id, {}) });
    await h.driver.messageShortcut({ callbackId: 'add_to_timeline', userId: 'U0001', channelId: inc.channel, message: { ts: '1700000000.000100', text: 'a line worth keeping', user: 'U0001' } });
    await h.driver.event({ type: 'reaction_added', user: 'U0001', reaction: 'pushpin', item: { type: 'message', channel: inc.channel, ts: '1700000000.000100' }, item_user: 'U0001', event_ts: '1700000000.000300' });
    const res = await fetch(`${h.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    metrics = await res.text();
  }, 30_000);
  afterAll(async () => { await h.close(); });

  it('passes promtool check metrics', async () => {
    const { code, output } = await promtoolCheck(metrics);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('has incident_bot_build_info with the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(metrics).toMatch(new RegExp(`^incident_bot_build_info\\{version="${pkg.version.replace(/\./g, '\\.')}",nodejs="${process.version.replace(/\./g, '\\.')}"\\} 1$`, 'm'));
  });

  it.each(['command', 'action', 'view', 'shortcut', 'event'])('times the acknowledgement of every %s', (type) => {
    const count = new RegExp(`^incident_bot_ack_latency_seconds_count\\{type="${type}"\\} (\\d+)$`, 'm').exec(metrics);
    expect(count, `no ack timing for ${type}`).not.toBeNull();
    expect(Number(count![1])).toBeGreaterThanOrEqual(1);
  });

  it('counts a command once (the listener no longer times it too)', () => {
    const commands = Number(/^incident_bot_ack_latency_seconds_count\{type="command"\} (\d+)$/m.exec(metrics)![1]);
    expect(commands).toBe(2); // declare + help
  });
});
