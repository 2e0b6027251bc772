/** `/incident statuspage` end to end against the Statuspage emulator: permissions, one page incident per incident, ambiguous failures, the modal. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STATUSPAGE_VIEW } from '../../src/slack/actions/statuspage-form.js';
import { ACTION } from '../../src/slack/ids.js';
import { StatuspageEmulator } from '../statuspage-emulator/index.js';
import { tableSizes } from '../support/e2e-store.js';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare, notices, summaryShows, textOf } from './incident-helpers.js';

const FAST = { worker: { backoffBaseMs: 40, backoffCapMs: 250, idlePollMs: 50 }, breaker: { failureThreshold: 5, openMs: 500 }, targetTimeoutMs: 800 };

describe('status page', () => {
  let sp: StatuspageEmulator;
  let h: Harness;
  beforeAll(async () => { sp = new StatuspageEmulator(); await sp.start(); });
  afterAll(async () => { await sp.stop(); });
  beforeEach(async () => {
    sp.incidents.length = 0;
    sp.calls.length = 0;
    sp.clearFaults();
    h = await startHarness({ STATUSPAGE_API_KEY: sp.apiKey, STATUSPAGE_PAGE_ID: sp.pageId, STATUSPAGE_API_URL: sp.apiUrl }, { bot: FAST });
  });
  afterEach(async () => { await h.close(); });

  const publish = (inc: Declared, text: string, userId: string) => h.driver.command(`statuspage ${text}`, { userId, channelId: inc.channel });
  const published = (inc: Declared, n: number) => h.emu.waitFor(async () => {
    const list = await h.bot.store.timeline.list(inc.id);
    const entries = list.filter((e) => e.kind === 'statuspage');
    return entries.length >= n ? entries : undefined;
  }, { message: `expected ${n} publications on the timeline` });

  it('only the Communications Lead or the IC may publish; anyone may while neither is assigned', async () => {
    const inc = await declare(h, 'Checkout errors');
    // Nobody holds either role: anyone may publish.
    const first = await publish(inc, 'investigating We are looking into failed checkouts.', 'U0004');
    expect(first.json.text).toMatch(/Publishing to the status page/);
    await published(inc, 1);

    await h.driver.command('role comms <@U0003>', { userId: 'U0001', channelId: inc.channel });
    await h.driver.command('role ic <@U0002>', { userId: 'U0001', channelId: inc.channel });
    const refused = await publish(inc, 'identified Found it.', 'U0004');
    expect(refused.json.text).toMatch(/Only the Communications Lead or the Incident Commander/);
    expect(refused.json.text).toContain('<@U0003>');
    expect(refused.json.text).toContain('<@U0002>');

    await publish(inc, 'identified The payment provider times out.', 'U0003'); // Comms Lead
    await publish(inc, 'monitoring A fix is out.', 'U0002'); // IC
    await published(inc, 3);
    // The refused statement never reached the page.
    expect(sp.incidents).toHaveLength(1);
    expect(sp.incidents[0]!.incident_updates.map((u) => u.body)).toEqual(['A fix is out.', 'The payment provider times out.', 'We are looking into failed checkouts.']);

    // Bad input: a clear reply with the right form.
    const bad = await publish(inc, 'fixed All good', 'U0002');
    expect(bad.json.text).toMatch(/not a status page status/);
    expect(JSON.stringify(bad.json)).toContain('/incident statuspage');
    expect(h.emu.violations).toEqual([]);
  });

  it('creates the page incident once, then updates and resolves that same one; timeline, channel and summary follow', async () => {
    const inc = await declare(h, 'Search is slow');
    await publish(inc, 'investigating Search results load slowly.', 'U0001');
    await published(inc, 1);
    await publish(inc, 'identified An index rebuild is running.', 'U0001');
    await published(inc, 2);
    await publish(inc, 'resolved Search is fast again.', 'U0001');
    const entries = await published(inc, 3);

    expect(sp.incidents).toHaveLength(1);
    const page = sp.incidents[0]!;
    expect(page.name).toBe('Search is slow');
    expect(page.status).toBe('resolved');
    expect(page.resolved_at).not.toBeNull();
    expect(page.incident_updates.map((u) => [u.status, u.body])).toEqual([
      ['resolved', 'Search is fast again.'], ['identified', 'An index rebuild is running.'], ['investigating', 'Search results load slowly.'],
    ]);
    // One POST, then PATCHes of that incident, all with the OAuth key.
    expect(sp.callsTo('POST', /\/incidents$/)).toHaveLength(1);
    expect(sp.callsTo('PATCH', new RegExp(`/incidents/${page.id}$`))).toHaveLength(2);
    expect(sp.calls.every((c) => c.headers.authorization === `OAuth ${sp.apiKey}`)).toBe(true);
    expect((sp.callsTo('POST', /\/incidents$/)[0]!.body as { incident: Record<string, unknown> }).incident).toMatchObject({ name: 'Search is slow', status: 'investigating', body: 'Search results load slowly.' });

    expect(entries[0]!.text).toContain(page.shortlink);
    const said = await h.emu.waitFor(() => {
      const n = notices(h, inc).filter((t) => t.includes('published to the status page'));
      return n.length === 3 ? n : undefined;
    }, { message: 'three publications said in the channel' });
    for (const n of said) expect(n).toContain(page.shortlink);
    await summaryShows(h, inc, (t) => t.includes('Status page: *Resolved*'), 'the public status');
    expect(h.emu.violations).toEqual([]);
  });

  it('an ambiguous failure of the create (the page got it, we saw a 500) still leaves exactly one page incident', async () => {
    const inc = await declare(h, 'Login loops');
    sp.inject(/^POST \/v1\/pages\/[^/]+\/incidents$/, { status: 500, applied: true });
    // A rate limit on the look-up (Statuspage answers 420) is waited out, not given up on.
    sp.inject(/^GET /, { status: 420, retryAfter: 1 });
    await publish(inc, 'investigating Some users cannot log in.', 'U0001');
    await published(inc, 1);
    expect(sp.incidents).toHaveLength(1);
    expect(sp.incidents[0]!.incident_updates).toHaveLength(1);
    expect(sp.calls.some((c) => c.status === 420)).toBe(true);

    // An update that hangs after landing is not published twice either.
    sp.inject(/^PATCH /, { hang: true, applied: true });
    await publish(inc, 'monitoring Logins work again for most users.', 'U0001');
    await published(inc, 2);
    expect(sp.incidents).toHaveLength(1);
    expect(sp.incidents[0]!.incident_updates.map((u) => u.body)).toEqual(['Logins work again for most users.', 'Some users cannot log in.']);
  });

  it('a refusal for good (a revoked key) is said in the channel and on the timeline, not silently dropped', async () => {
    const inc = await declare(h, 'Key revoked');
    sp.inject(/^POST /, { status: 401, body: { error: 'Could not authenticate' } });
    await publish(inc, 'investigating Looking into it.', 'U0001');
    const said = await h.emu.waitFor(() => notices(h, inc).find((t) => t.includes('Statuspage refused')), { message: 'refusal not said' });
    expect(said).toContain('Could not authenticate');
    expect(said).toContain('STATUSPAGE_API_KEY');
    const entry = (await h.bot.store.timeline.list(inc.id)).find((e) => e.kind === 'statuspage');
    expect(entry?.text).toMatch(/refused the publication/);
    expect(sp.incidents).toHaveLength(0);
    expect(await h.bot.store.statuspage.pageIncident(inc.id)).toBeNull();
  });

  it('the modal (command without text, and the summary button) is prefilled with the last internal update', async () => {
    const inc = await declare(h, 'Emails delayed');
    await h.driver.command('update Outbound mail queue is backed up; draining it.', { userId: 'U0001', channelId: inc.channel });
    await h.emu.waitFor(async () => (await h.bot.store.updates.list(inc.id)).length === 1 || undefined);

    const res = await h.driver.command('statuspage', { userId: 'U0001', channelId: inc.channel });
    expect(res.status).toBe(200);
    const modal = await h.emu.waitFor(() => h.emu.latestModal({ userId: 'U0001', callbackId: STATUSPAGE_VIEW }), { message: 'no status page modal' });
    expect(textOf(modal.blocks)).toBeDefined();
    expect(JSON.stringify(modal.blocks)).toContain('Outbound mail queue is backed up; draining it.');
    // Submitted twice at once (a double click): published once.
    const view = h.driver.submissionFromOpenedView(modal.id, { public_status_select: 'identified', public_message_input: 'Emails are delayed; we are catching up.' });
    const submitted = await Promise.all([h.driver.viewSubmission({ userId: 'U0001', view }), h.driver.viewSubmission({ userId: 'U0001', view })]);
    for (const r of submitted) {
      expect(r.status).toBe(200);
      expect(r.json?.response_action).toBeUndefined();
    }
    await published(inc, 1);
    expect((await tableSizes(h.bot)).statuspage_publications).toBe(1);
    expect(sp.incidents[0]!.incident_updates[0]).toMatchObject({ status: 'identified', body: 'Emails are delayed; we are catching up.' });

    // The summary's button opens the same form, now saying what the page shows.
    const pinned = await summaryShows(h, inc, (t) => t.includes('Status page: *Identified*'), 'the public status');
    expect(pinned).toBeTruthy();
    const pin = h.emu.pins(inc.channel)[0]!;
    expect(JSON.stringify(pin.blocks)).toContain(ACTION.statuspage);
    const before = modal.id;
    await h.driver.blockAction({ userId: 'U0002', actionId: ACTION.statuspage, value: String(inc.id), channelId: inc.channel, messageTs: pin.ts });
    const second = await h.emu.waitFor(() => {
      const m = h.emu.latestModal({ userId: 'U0002', callbackId: STATUSPAGE_VIEW });
      return m && m.id !== before ? m : undefined;
    }, { message: 'button opened no modal' });
    expect(JSON.stringify(second.blocks)).toContain('Outbound mail queue is backed up');
    expect(h.emu.violations).toEqual([]);
  });
});

describe('status page not configured', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('says how to connect one, and the summary offers no button', async () => {
    const inc = await declare(h, 'No page here');
    const res = await h.driver.command('statuspage investigating Hello', { userId: 'U0001', channelId: inc.channel });
    expect(res.json.text).toMatch(/STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID/);
    expect(JSON.stringify(h.emu.pins(inc.channel)[0]!.blocks)).not.toContain(ACTION.statuspage);
  });
});
