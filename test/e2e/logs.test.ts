import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { BOT_TOKEN, type Harness, SIGNING_SECRET, startHarness } from './harness.js';

describe('structured logs', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); });

  it('carry the incident reference on lines about an incident and never a secret', async () => {
    const lines: Record<string, unknown>[] = [];
    const raw: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { raw.push(String(chunk)); lines.push(JSON.parse(String(chunk))); done(); } });
    const logger = createLogger('info', [BOT_TOKEN, SIGNING_SECRET], sink);
    h = await startHarness({ UPDATE_CADENCE: 'SEV1=1s,SEV2=1s,SEV3=1s,SEV4=off', SCHEDULER_TICK: '1s' }, { bot: { logger } });
    const res = await h.driver.command('declare sev3 Logged incident');
    const channel = /<#(C[A-Z0-9]+)>/.exec(res.json.text)?.[1] ?? (await h.emu.waitFor(() => h!.emu.channelByName('inc-1-logged-incident'))).id;
    await h.driver.command('log something happened', { channelId: channel });
    await h.emu.waitFor(() => lines.some((l) => l.msg === 'scheduler: reminder fired'), { timeoutMs: 5000 });
    const about = (msg: string) => lines.filter((l) => l.msg === msg);
    expect(about('incident declared')[0]).toMatchObject({ incident: 'INC-1', severity: 'SEV3', user: 'U0001' });
    expect(about('command handled')[0]).toMatchObject({ incident: 'INC-1', subcommand: 'log' });
    expect(about('scheduler: reminder fired')[0]).toMatchObject({ incident: 'INC-1', reminder: 'update' });
    const all = raw.join('');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
  });
});
