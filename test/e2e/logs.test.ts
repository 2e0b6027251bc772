import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { BOT_TOKEN, type Harness, SIGNING_SECRET, startHarness } from './harness.js';
import { steppedClock } from './incident-helpers.js';

describe('structured logs', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); });

  it('carry the incident reference on lines about an incident and never a secret', async () => {
    const lines: Record<string, unknown>[] = [];
    const raw: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { raw.push(String(chunk)); lines.push(JSON.parse(String(chunk))); done(); } });
    const logger = createLogger('info', [BOT_TOKEN, SIGNING_SECRET], sink);
    const t = steppedClock();
    h = await startHarness({ UPDATE_CADENCE: 'SEV1=1m,SEV2=1m,SEV3=1m,SEV4=off', SCHEDULER_TICK: '1h' }, { bot: { logger }, clock: t.clock });
    const res = await h.driver.command('declare sev3 Logged incident');
    const channel = /<#(C[A-Z0-9]+)>/.exec(res.json.text)?.[1] ?? (await h.emu.waitFor(() => h!.emu.channelByName('inc-1-logged-incident'))).id;
    // The bot records the channel when Slack's answer comes back: typing in it before that is typing in an unknown channel.
    await h.emu.waitFor(async () => (await h!.bot.store.incidents.get(1))?.channelId === channel, { message: 'the bot never recorded the channel' });
    await h.driver.command('log something happened', { channelId: channel });
    t.advance(60_000);
    expect(await h.bot.scheduler.tick()).toBe(1);
    const about = (msg: string) => lines.filter((l) => l.msg === msg);
    expect(about('incident declared')[0]).toMatchObject({ incident: 'INC-1', severity: 'SEV3', user: 'U0001' });
    expect(about('command handled')[0]).toMatchObject({ incident: 'INC-1', subcommand: 'log' });
    expect(about('scheduler: reminder fired')[0]).toMatchObject({ incident: 'INC-1', reminder: 'update' });
    const all = raw.join('');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
  });
});
