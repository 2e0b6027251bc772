/** Issue 12 item 5: Slack refusing to create the channel (restricted_action) leaves no ghost: the declarer is told in plain words, list and App Home show it, and it can be retried or cancelled. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { textOf } from './incident-helpers.js';

describe('a channel Slack refuses to create', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  const refusal = (responseUrl: string) => h.emu.waitFor(() => h.emu.responses.find((r) => r.id === responseUrl.split('/').pop() && /refused/.test(JSON.stringify(r.body))), { timeoutMs: 8000, message: 'the declarer was never told' });
  const drained = () => h.emu.waitFor(async () => {
    const s = await h.bot.queue.stats();
    return s.pending === 0 && s.inflight === 0 ? s : undefined;
  }, { message: 'outbox never drained' });
  const buttonValue = (body: unknown, actionId: string) => (JSON.stringify(body).match(new RegExp(`"action_id":"${actionId}","value":"([^"]+)"`)) ?? [])[1];

  it('tells the declarer, shows the state in list and App Home, and a retry creates the channel once allowed', async () => {
    h.emu.inject('conversations.create', { error: 'restricted_action' }, { times: 5 });
    const res = await h.driver.command('declare sev2 Payments down', { userId: 'U0001' });
    expect(res.status).toBe(200);
    const told = await refusal(res.responseUrl);
    const said = textOf((told.body as { blocks?: unknown }).blocks) + (told.body as { text?: string }).text;
    expect(said).toMatch(/INC-1/);
    expect(said).toMatch(/refused to create its channel/);
    expect(said).toMatch(/restricted_action/);
    expect(JSON.stringify(told.body)).toContain('incident_retry_channel');
    await drained();
    expect((await h.bot.queue.stats()).dead).toBe(0);
    expect((await h.bot.store.incidents.get(1))?.channelError).toBe('restricted_action');

    const list = await h.driver.command('list', { userId: 'U0002' });
    expect(textOf(list.json.blocks)).toMatch(/INC-1[\s\S]*Slack refused to create it \(restricted_action\)/);
    await h.driver.event({ type: 'app_home_opened', user: 'U0002', tab: 'home' });
    const home = await h.emu.waitFor(() => h.emu.homeViews.get('U0002'), { message: 'App Home not published' });
    expect(textOf(home.blocks)).toMatch(/Slack refused to create it/);

    // An admin allowed it: Retry creates the channel and the link follows.
    h.emu.clearFaults();
    const retry = await h.driver.blockAction({ userId: 'U0001', actionId: 'incident_retry_channel', value: buttonValue(told.body, 'incident_retry_channel') ?? '1', channelId: 'C_GENERAL' });
    expect(retry.status).toBe(200);
    const channel = await h.emu.waitFor(() => h.emu.channels.find((c) => c.name.startsWith('inc-1-')), { message: 'no channel after retry' });
    await h.emu.waitFor(() => h.emu.responses.some((r) => JSON.stringify(r.body).includes(`<#${channel.id}>`)), { timeoutMs: 8000, message: 'no link after retry' });
    await h.emu.waitFor(() => h.emu.pins(channel.id).length === 1, { message: 'not set up after retry' });
    expect((await h.bot.store.incidents.get(1))?.channelError).toBeNull();
  });

  it('cancel takes it off the open list and nothing stays queued', async () => {
    h.emu.inject('conversations.create', { error: 'restricted_action' }, { times: 5 });
    const res = await h.driver.command('declare sev1 Ghost incident', { userId: 'U0001' });
    const told = await refusal(res.responseUrl);
    const cancel = await h.driver.blockAction({ userId: 'U0001', actionId: 'incident_cancel', value: buttonValue(told.body, 'incident_cancel') ?? '1', channelId: 'C_GENERAL' });
    expect(cancel.status).toBe(200);
    expect((await h.bot.store.incidents.get(1))?.status).toBe('closed');
    expect(await h.bot.store.incidents.listOpen()).toEqual([]);
    await drained();
    const stats = await h.bot.queue.stats();
    expect(stats.dead).toBe(0);
    // The declaration's announcement waited for a channel that will never exist: it is dropped, not stuck.
    expect(h.emu.messages(h.announce).filter((m) => m.text.includes('Ghost incident'))).toHaveLength(0);
  });
});
