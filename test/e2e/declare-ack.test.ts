/** Issue 12 item 3 and issue 11 item 7: the declaration is acknowledged straight after its commit, the link follows only after the invite, and a near-duplicate asks first. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

describe('declaration acknowledgement', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('acks straight after the commit, without waiting for the channel; the link follows through response_url', async () => {
    // A channel that takes 700 ms to create: the old reply waited for it (up to 1 s) and carried the link.
    h.emu.inject('conversations.create', { delayMs: 700 });
    const res = await h.driver.command('declare sev2 Ack at once', { userId: 'U0001' });
    expect(res.status).toBe(200);
    expect(res.json.text).toContain('INC-1');
    expect(res.json.text).not.toMatch(/<#C/);
    expect(h.emu.channelByName('inc-1-ack-at-once')).toBeUndefined();
    expect((await h.bot.store.incidents.get(1))?.title).toBe('Ack at once');
    const channel = await h.emu.waitFor(() => h.emu.channelByName('inc-1-ack-at-once'));
    const link = await h.emu.waitFor(() => h.emu.responses.find((r) => JSON.stringify(r.body).includes(`<#${channel.id}>`)), { timeoutMs: 8000 });
    expect((link.body as { replace_original?: boolean }).replace_original).toBe(true);
  });

  it('sends the link only after the declarer is in the channel (invite first)', async () => {
    // A slow invite: Slack adds the member only when the call is answered, 600 ms later.
    h.emu.inject('conversations.invite', { delayMs: 600 });
    await h.driver.command('declare sev3 Invite before link', { userId: 'U0001' });
    const channel = await h.emu.waitFor(() => h.emu.channelByName('inc-1-invite-before-link'));
    const link = await h.emu.waitFor(() => h.emu.responses.find((r) => JSON.stringify(r.body).includes(`<#${channel.id}>`)), { timeoutMs: 8000 });
    const invite = h.emu.callsTo('conversations.invite').find((c) => c.response?.ok && String(c.args.users).includes('U0001'));
    expect(invite).toBeDefined();
    expect(link.at).toBeGreaterThanOrEqual(invite!.at + 600);
    expect([...channel.members]).toContain('U0001');
    // One link, once.
    expect(h.emu.responses.filter((r) => JSON.stringify(r.body).includes(`<#${channel.id}>`))).toHaveLength(1);
  });

  it('the same person declaring the same title again within minutes is asked first; "Declare anyway" declares once', async () => {
    await h.driver.command('declare sev2 Checkout down', { userId: 'U0001' });
    const channel = await h.emu.waitFor(() => h.emu.channelByName('inc-1-checkout-down'));
    await h.emu.waitFor(() => h.emu.responses.some((r) => JSON.stringify(r.body).includes(channel.id)), { timeoutMs: 8000 });
    const again = await h.driver.command('declare sev2   checkout DOWN ', { userId: 'U0001' });
    expect(again.status).toBe(200);
    expect(again.json.text).toMatch(/You declared \*?INC-1\*? with this title \d+ s ago/);
    expect(JSON.stringify(again.json.blocks)).toContain('Declare anyway');
    expect(JSON.stringify(again.json.blocks)).toContain(`app_redirect?channel=${channel.id}`);
    expect(await h.bot.store.incidents.get(2)).toBeNull();

    // Another person with the same title is not held back.
    await h.driver.command('declare sev2 Checkout down', { userId: 'U0002' });
    expect((await h.bot.store.incidents.get(2))?.declaredBy).toBe('U0002');

    const anyway = JSON.parse(JSON.stringify(again.json.blocks)).flatMap((b: { elements?: { action_id: string; value: string }[] }) => b.elements ?? [])
      .find((e: { action_id: string }) => e.action_id === 'incident_declare_anyway');
    const click = () => h.driver.blockAction({ userId: 'U0001', actionId: 'incident_declare_anyway', value: anyway.value, channelId: 'C_GENERAL' });
    expect((await click()).status).toBe(200);
    expect((await click()).status).toBe(200);
    const third = await h.bot.store.incidents.get(3);
    expect(third).toMatchObject({ title: 'checkout DOWN', declaredBy: 'U0001', severity: 'SEV2' });
    expect(await h.bot.store.incidents.get(4)).toBeNull();
    await h.emu.waitFor(() => h.emu.channelByName('inc-3-checkout-down'));
  });
});
