/** The one door to Slack: every method it offers is a real Web API method, and each goes through its own breaker and metrics. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/observability/metrics.js';
import { CircuitBreakers } from '../../src/slack/circuit-breaker.js';
import { SLACK_METHODS, SlackApi, SlackCallError } from '../../src/slack/slack-api.js';
import { resolveContractsDir } from '../slack-emulator/contracts.js';
import { SlackEmulator } from '../slack-emulator/index.js';

const view = { type: 'modal' as const, callback_id: 'door_test', title: { type: 'plain_text' as const, text: 'Door' }, blocks: [] };

describe('SlackApi.web: the typed door', () => {
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
    breakers = new CircuitBreakers({ failureThreshold: 2, openMs: 5000 });
    metrics = new Metrics(false);
    api = new SlackApi({ token: 'xoxb-unit-test', slackApiUrl: emu.apiUrl, timeoutMs: 300 }, breakers, metrics, () => now);
  });

  it('offers only methods that Slack\'s contracts define, each reachable as api.web.<family>.<method>', () => {
    const dir = path.join(resolveContractsDir(), 'methods');
    expect(SLACK_METHODS.length).toBeGreaterThan(15);
    for (const method of SLACK_METHODS) {
      // files.uploadV2 is the SDK's name for files.getUploadURLExternal, an upload, then files.completeUploadExternal.
      const real = method === 'files.uploadV2' ? ['files.getUploadURLExternal', 'files.completeUploadExternal'] : [method];
      for (const m of real) expect(fs.existsSync(path.join(dir, `${m}.json`)), m).toBe(true);
      const [family, name] = method.split('.') as [keyof SlackApi['web'], string];
      expect(typeof (api.web[family] as Record<string, unknown>)[name], method).toBe('function');
    }
  });

  it('views.open (the modals) is counted under its name and has its own circuit, apart from chat.postMessage', async () => {
    await api.web.views.open({ trigger_id: emu.issueTriggerId('U0001'), view });
    expect(emu.latestModal({ callbackId: 'door_test' })).toBeDefined();
    emu.inject('views.open', { status: 500 }, { times: 2 });
    for (let i = 0; i < 2; i++) await expect(api.web.views.open({ trigger_id: emu.issueTriggerId('U0001'), view })).rejects.toBeInstanceOf(SlackCallError);
    expect(breakers.state('views.open')).toBe('open');
    expect(breakers.state('chat.postMessage')).toBe('closed');
    const refused = await api.web.views.open({ trigger_id: emu.issueTriggerId('U0001'), view }).catch((err: unknown) => err);
    expect((refused as SlackCallError).failure).toEqual({ kind: 'circuit_open', retryInMs: 5000 });
    expect(emu.callsTo('views.open')).toHaveLength(3); // the refused call never left
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/incident_bot_slack_api_calls_total\{method="views.open",outcome="ok"\} 1/);
    expect(text).toMatch(/incident_bot_slack_api_calls_total\{method="views.open",outcome="transient"\} 2/);
    expect(text).toMatch(/incident_bot_slack_api_calls_total\{method="views.open",outcome="circuit_open"\} 1/);
  });

  it('files.uploadV2 runs its three steps under one name and one breaker', async () => {
    const channel = emu.channelByName('general')?.id ?? emu.createChannel('general', { members: ['U0BOT'] }).id;
    await api.web.files.uploadV2({ channel_id: channel, filename: 'x.md', content: '# x', title: 'x' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/incident_bot_slack_api_calls_total\{method="files.uploadV2",outcome="ok"\} 1/);
    expect(text).not.toMatch(/method="files.getUploadURLExternal"/);
  });
});
