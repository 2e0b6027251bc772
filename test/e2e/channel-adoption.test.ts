/** After an ambiguous conversations.create failure, the bot adopts only a channel it created itself, never a person's channel of the same name. */
import { afterEach, describe, expect, it } from 'vitest';
import type { BotOptions } from '../../src/bot.js';
import { type Harness, startHarness } from './harness.js';

const FAST: BotOptions = { worker: { backoffBaseMs: 40, backoffCapMs: 250, idlePollMs: 50 }, breaker: { failureThreshold: 3, openMs: 1000 }, slackTimeoutMs: 800 };

describe('channel adoption after an ambiguous conversations.create failure', () => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });

  it("leaves a person's channel with the intended name alone, even with the bot in it, and picks another name", async () => {
    h = await startHarness({}, { bot: FAST });
    // Someone already made the channel the incident would get, and invited the bot.
    const theirs = h.emu.createChannel('inc-1-payments-down', { creator: 'U0002', members: ['U0002', 'U0BOT'], topic: 'Our own planning channel' });
    h.emu.inject('conversations.create', { status: 500 });

    const res = await h.driver.command('declare sev2 Payments down', { userId: 'U0001' });
    expect(res.status).toBe(200);
    const incident = await h.emu.waitFor(async () => {
      const i = await h.bot.store.incidents.get(1);
      return i?.channelId ? i : undefined;
    }, { message: 'incident never got a channel' });

    expect(incident.channelId).not.toBe(theirs.id);
    expect(incident.channelName).toBe('inc-1-payments-down-2');
    const ours = h.emu.channel(incident.channelId!)!;
    expect(ours.creator).toBe('U0BOT');
    await h.emu.waitFor(() => h.emu.pins(ours.id).length === 1, { message: 'summary not pinned in the new channel' });
    const announcement = await h.emu.waitFor(() => h.emu.messages(h.announce).find((m) => m.text.includes('INC-1')), { message: 'not announced' });
    expect(JSON.stringify(announcement.blocks)).toContain(`<#${ours.id}>`);
    expect(JSON.stringify(announcement.blocks)).not.toContain(`<#${theirs.id}>`);

    // Their channel is as they left it: no posts, no pins, their topic.
    expect(h.emu.messages(theirs.id).filter((m) => m.user === 'U0BOT')).toEqual([]);
    expect(h.emu.pins(theirs.id)).toEqual([]);
    expect(h.emu.channel(theirs.id)!.topic).toBe('Our own planning channel');
    expect(h.emu.callsTo('conversations.setTopic').map((c) => c.args.channel)).not.toContain(theirs.id);
    expect(h.emu.violations).toEqual([]);
  });

  it('still adopts the channel its own lost attempt created', async () => {
    h = await startHarness({}, { bot: FAST });
    // Slack creates the channel (as the bot) but the answer is lost: the retry finds it by name and creator.
    const created = h.emu.createChannel('inc-1-checkout-errors', { creator: 'U0BOT', members: ['U0BOT'] });
    h.emu.inject('conversations.create', { status: 500 });

    await h.driver.command('declare sev2 Checkout errors', { userId: 'U0001' });
    const incident = await h.emu.waitFor(async () => {
      const i = await h.bot.store.incidents.get(1);
      return i?.channelId ? i : undefined;
    }, { message: 'incident never got a channel' });
    expect(incident.channelId).toBe(created.id);
    expect(h.emu.channels.filter((c) => c.name.startsWith('inc-1-'))).toHaveLength(1);
    expect(h.emu.violations).toEqual([]);
  });
});
