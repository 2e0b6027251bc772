import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

describe('declaring an incident end to end', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('creates the channel, invites, posts and pins the summary, sets the topic, announces and links it in the reply', async () => {
    const res = await h.driver.command('declare sev2 Checkout latency spike', { userId: 'U0001' });
    expect(res.status).toBe(200);
    const channel = await h.emu.waitFor(() => h.emu.channelByName('inc-1-checkout-latency-spike'));
    expect(res.json.text).toContain(`<#${channel.id}>`);
    await h.emu.waitFor(() => h.emu.pins(channel.id).length === 1 && h.emu.messages(h.announce).length === 1 && channel.topic, { message: 'declaration not finished' });
    expect([...channel.members]).toContain('U0001');
    const summary = h.emu.pins(channel.id)[0]!;
    expect(JSON.stringify(summary.blocks)).toContain('Checkout latency spike');
    expect(JSON.stringify(h.emu.messages(h.announce)[0]!.blocks ?? h.emu.messages(h.announce)[0]!.text)).toContain(`<#${channel.id}>`);
    expect(h.emu.violations).toEqual([]);
  });
});
