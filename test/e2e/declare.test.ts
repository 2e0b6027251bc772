import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, SIGNING_SECRET, startHarness } from './harness.js';
import { signatureHeaders } from '../slack-emulator/signing.js';

/** Every text and block payload the bot sent to Slack, as one string per call. */
function sentPayloads(h: Harness): string[] {
  return h.emu.calls.filter((c) => ['chat.postMessage', 'chat.update', 'conversations.setTopic', 'views.open'].includes(c.method)).map((c) => JSON.stringify(c.args));
}

function channelIdIn(text: string): string {
  const m = /<#(C[A-Z0-9]+)>/.exec(text);
  if (!m) throw new Error(`no channel link in: ${text}`);
  return m[1]!;
}

describe('declaring an incident end to end', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('creates the channel, invites, posts and pins the summary, sets the topic, announces and links it in the reply', async () => {
    const res = await h.driver.command('declare sev2 Checkout latency spike', { userId: 'U0001' });
    expect(res.status).toBe(200);
    const channel = await h.emu.waitFor(() => h.emu.channelByName('inc-1-checkout-latency-spike'));
    expect(res.json.text).toContain('INC-1');
    await h.emu.waitFor(() => h.emu.pins(channel.id).length === 1 && h.emu.messages(h.announce).length === 1 && channel.topic, { message: 'declaration not finished' });
    expect([...channel.members]).toContain('U0001');
    const summary = JSON.stringify(h.emu.pins(channel.id)[0]!.blocks);
    expect(summary).toContain('Checkout latency spike');
    expect(summary).toContain('SEV2');
    expect(channel.topic).toContain('SEV2');
    expect(JSON.stringify(h.emu.messages(h.announce)[0])).toContain(`<#${channel.id}>`);
    // The link went out once, through response_url after the invite (the ack does not wait for the channel).
    await h.emu.waitFor(() => h.emu.responses.some((r) => JSON.stringify(r.body).includes(`<#${channel.id}>`)), { timeoutMs: 8000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.emu.responses.filter((r) => JSON.stringify(r.body).includes(channel.id))).toHaveLength(1);
    expect(h.emu.violations).toEqual([]);
  });

  it('defaults to SEV3, numbers incidents monotonically and never reuses a number', async () => {
    await h.driver.command('declare First one');
    await h.driver.command('declare Second one');
    const first = await h.bot.store.incidents.get(1);
    const second = await h.bot.store.incidents.get(2);
    expect(first?.severity).toBe('SEV3');
    expect(second?.title).toBe('Second one');
    await h.emu.waitFor(() => h.emu.channelByName('inc-2-second-one'));
  });

  it('builds a valid channel name whatever the title: unicode, emoji, punctuation, 500 characters', async () => {
    const titles = ['🔥🔥🔥', 'Ünïcödé façade — “quotes” & <stuff>!!!', 'x'.repeat(250) + ' ' + 'y'.repeat(250)];
    for (const t of titles) await h.driver.command(`declare sev4 ${t}`);
    await h.emu.waitFor(() => h.emu.callsTo('conversations.create').filter((c) => c.response?.ok).length === 3);
    const names = h.emu.callsTo('conversations.create').filter((c) => c.response?.ok).map((c) => String(c.args.name));
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(80);
      expect(n).toMatch(/^inc-\d+(-[a-z0-9_-]*)?$/);
    }
    expect(names).toContain('inc-1');
    expect(names.some((n) => n.startsWith('inc-2-unicode-facade'))).toBe(true);
    await h.emu.waitFor(() => h.emu.callsTo('pins.add').length === 3);
    expect(h.emu.violations).toEqual([]);
  });

  it('on name_taken chooses another name and goes on, never reusing the taken channel', async () => {
    const taken = h.emu.createChannel('inc-1-db-down', { members: ['U0002'] });
    const res = await h.driver.command('declare sev1 DB down');
    const link = await h.emu.waitFor(() => h.emu.responses.find((r) => r.id === res.responseUrl.split('/').pop() && /<#C/.test(JSON.stringify(r.body))), { timeoutMs: 8000 });
    const id = channelIdIn(JSON.stringify(link.body));
    expect(id).not.toBe(taken.id);
    expect(h.emu.channel(id)?.name).toBe('inc-1-db-down-2');
    await h.emu.waitFor(() => h.emu.pins(id).length === 1);
    expect(h.emu.messages(taken.id)).toHaveLength(0);
  });

  it('opens the declare modal for `/incident declare` alone, and a double submit declares once', async () => {
    const res = await h.driver.command('declare', { userId: 'U0003' });
    expect(res.status).toBe(200);
    const modal = await h.emu.waitFor(() => h.emu.latestModal({ callbackId: 'declare_incident_modal' }));
    const view = h.driver.submissionFromOpenedView(modal.id, {
      title: 'Payments failing', severity: 'SEV1', summary: 'Card payments return 502', services: 'payments, api-gateway',
    });
    const [a, b] = await Promise.all([
      h.driver.viewSubmission({ userId: 'U0003', view }),
      h.driver.viewSubmission({ userId: 'U0003', view }),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const dm = await h.emu.waitFor(() => h.emu.dmsTo('U0003').find((m) => m.text.includes('INC-1')), { timeoutMs: 8000 });
    expect(dm.text).toMatch(/<#C[A-Z0-9]+>/);
    expect(await h.bot.store.incidents.get(2)).toBeNull();
    const incident = await h.bot.store.incidents.get(1);
    expect(incident).toMatchObject({ title: 'Payments failing', severity: 'SEV1', summary: 'Card payments return 502', services: ['payments', 'api-gateway'] });
    expect(h.emu.callsTo('conversations.create').length).toBe(1);
  });

  it('acks the modal command at once and, if Slack cannot open the form, says how to type it instead', async () => {
    h.emu.inject('views.open', { status: 500 }, { times: 2 });
    const res = await h.driver.command('declare', { userId: 'U0003' });
    expect(res.status).toBe(200);
    const told = await h.emu.waitFor(() => h.emu.responses.find((r) => JSON.stringify(r.body).includes('could not open the form')), { timeoutMs: 8000 });
    expect(JSON.stringify(told.body)).toContain('/incident declare [sev1-4] &lt;title&gt;');
    expect(await h.bot.store.incidents.get(1)).toBeNull();
  });

  it('shows the modal errors for a blank title instead of declaring', async () => {
    await h.driver.command('declare');
    const modal = await h.emu.waitFor(() => h.emu.latestModal({ callbackId: 'declare_incident_modal' }));
    const res = await h.driver.viewSubmission({ userId: 'U0001', view: h.driver.submissionFromOpenedView(modal.id, { title: '   ' }) });
    expect(res.json.response_action).toBe('errors');
    expect(Object.keys(res.json.errors)).toContain('title');
    expect(await h.bot.store.incidents.get(1)).toBeNull();
  });

  it('the declare_incident message shortcut opens the modal with the message as summary', async () => {
    await h.driver.messageShortcut({ callbackId: 'declare_incident', userId: 'U0002', channelId: 'C_GENERAL', message: { ts: '1700000000.000100', text: 'checkout is throwing 500s', user: 'U0004' } });
    const modal = await h.emu.waitFor(() => h.emu.latestModal({ callbackId: 'declare_incident_modal' }));
    expect(JSON.stringify(modal.blocks)).toContain('checkout is throwing 500s');
  });

  it('a retried slash command (same trigger id) declares once', async () => {
    const trigger = h.emu.issueTriggerId('U0001');
    const body = new URLSearchParams({
      token: 't', team_id: 'T0001', channel_id: 'C_GENERAL', user_id: 'U0001', command: '/incident',
      text: 'declare sev3 Retried request', response_url: h.emu.newResponseUrl(), trigger_id: trigger,
    }).toString();
    const first = await h.driver.raw(body);
    // A re-sent request is signed anew (a later timestamp): identical signed bytes are refused as a replay.
    const resigned = signatureHeaders(SIGNING_SECRET, body, 'valid', Math.floor(Date.now() / 1000) + 1);
    const second = await h.driver.raw(body, resigned, { signature: 'missing' });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.json.text).toContain('INC-1');
    expect(await h.bot.store.incidents.get(2)).toBeNull();
  });

  it('keeps the incident and finishes every step when Slack fails part-way, telling the declarer what is pending', async () => {
    h.emu.inject('conversations.create', { status: 500 }, { times: 2 });
    h.emu.inject('pins.add', { status: 429, retryAfter: 1 });
    h.emu.inject('conversations.setTopic', { status: 500 });
    const res = await h.driver.command('declare sev2 Flaky Slack');
    expect(res.status).toBe(200);
    expect(res.json.text).toContain('INC-1');
    const listed = await h.driver.command('list');
    expect(listed.json.text + JSON.stringify(listed.json.blocks)).toContain('Flaky Slack');
    const channel = await h.emu.waitFor(() => h.emu.channelByName('inc-1-flaky-slack'), { timeoutMs: 10_000 });
    await h.emu.waitFor(() => h.emu.pins(channel.id).length === 1 && channel.topic && h.emu.messages(h.announce).length === 1, { timeoutMs: 10_000 });
    if (!res.json.text.includes(channel.id)) {
      // waitFor throws when no follow-up names the channel.
      await h.emu.waitFor(() => h.emu.responses.find((r) => JSON.stringify(r.body).includes(channel.id)), { timeoutMs: 8000, message: 'no follow-up with the channel link' });
    }
    expect(h.emu.messages(channel.id).filter((m) => m.text.includes('Flaky Slack')).length).toBe(1);
  });

  it('escapes user text so a title like <!channel> never pings anyone, and cuts long text to Block Kit limits', async () => {
    await h.driver.command(`declare sev1 <!channel> db down & <@U0002> ${'z'.repeat(3500)}`);
    const channel = await h.emu.waitFor(() => h.emu.channels.find((c) => c.name.startsWith('inc-1-')));
    await h.emu.waitFor(() => h.emu.pins(channel.id).length === 1 && h.emu.messages(h.announce).length === 1);
    for (const p of sentPayloads(h)) {
      expect(p).not.toContain('<!channel>');
    }
    expect(JSON.stringify(h.emu.pins(channel.id)[0]!.blocks)).toContain('&lt;!channel&gt;');
    expect(h.emu.violations).toEqual([]);
  });
});

describe('help, list and mistakes', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('help lists every command, only to the caller', async () => {
    for (const text of ['', 'help', 'HELP']) {
      const res = await h.driver.command(text);
      expect(res.json.response_type).toBe('ephemeral');
      const all = res.json.text + JSON.stringify(res.json.blocks ?? []);
      for (const sub of ['declare', 'list', 'role', 'roles', 'log', 'update', 'severity', 'status', 'resolve', 'close', 'action', 'actions', 'timeline', 'snooze', 'postmortem']) {
        expect(all).toContain(`/incident ${sub}`);
      }
    }
  });

  it('list shows open incidents with severity, status, age, IC and channel', async () => {
    expect((await h.driver.command('list')).json.text).toMatch(/no open incidents/i);
    await h.driver.command('declare sev1 Search is down');
    const channel = await h.emu.waitFor(() => h.emu.channelByName('inc-1-search-is-down'));
    // The channel id is recorded when its delivery completes, a moment after Slack has the channel.
    await h.emu.waitFor(async () => (await h.bot.store.incidents.get(1))?.channelId);
    const res = await h.driver.command('list');
    const all = res.json.text + JSON.stringify(res.json.blocks ?? []);
    expect(all).toContain('INC-1');
    expect(all).toContain('SEV1');
    expect(all).toMatch(/investigating/i);
    expect(all).toContain(`<#${channel.id}>`);
    expect(all).toMatch(/no IC|IC: none|no incident commander/i);
  });

  it('answers malformed input with what was wrong and the right form', async () => {
    const cases: [string, RegExp][] = [
      ['declre sev2 x', /did you mean.*declare/i],
      ['declare sev9 Broken', /severity/i],
      ['declare sev2', /title/i],
      ['frobnicate', /\/incident help/],
      ['role ic @bob', /mention|autocomplete/i],
      ['status exploded', /investigating/],
    ];
    for (const [text, expected] of cases) {
      const res = await h.driver.command(text);
      expect(res.status).toBe(200);
      expect(res.json.response_type).toBe('ephemeral');
      expect(res.json.text + JSON.stringify(res.json.blocks ?? [])).toMatch(expected);
    }
    expect(await h.bot.store.incidents.get(1)).toBeNull();
  });

  it('commands about an incident typed outside an incident channel say how to reach one', async () => {
    for (const text of ['log hello', 'resolve', 'roles', 'timeline']) {
      const res = await h.driver.command(text, { channelId: 'C_GENERAL' });
      expect(res.json.text + JSON.stringify(res.json.blocks ?? [])).toMatch(/incident's channel/i);
    }
  });
});
