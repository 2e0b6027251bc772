/** The pinned summary's buttons end to end: each opens its modal; submitting it has the same effect as the command. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_VIEW } from '../../src/slack/actions/add-action.js';
import { RESOLVE_VIEW } from '../../src/slack/actions/resolve.js';
import { ROLE_VIEW } from '../../src/slack/actions/role.js';
import { SEVERITY_VIEW } from '../../src/slack/actions/severity.js';
import { UPDATE_VIEW } from '../../src/slack/actions/update.js';
import { ACTION } from '../../src/slack/ids.js';
import type { SubmissionValue } from '../slack-emulator/index.js';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare, notices, summaryShows, summaryText, textOf } from './incident-helpers.js';

/** Clicks a button on the pinned summary and returns the modal it opened for `userId`. */
async function clickSummary(h: Harness, inc: Declared, actionId: string, callbackId: string, userId: string) {
  const before = h.emu.latestModal({ userId, callbackId })?.id;
  const pinned = h.emu.pins(inc.channel)[0]!;
  expect(JSON.stringify(pinned.blocks)).toContain(`"action_id":"${actionId}"`);
  const res = await h.driver.blockAction({ userId, actionId, channelId: inc.channel, messageTs: pinned.ts });
  expect(res.status).toBe(200);
  const modal = await h.emu.waitFor(() => {
    const m = h.emu.latestModal({ userId, callbackId });
    return m && m.id !== before ? m : undefined;
  }, { message: `${actionId} opened no ${callbackId} modal` });
  expect(modal.private_metadata).toBe(String(inc.id));
  return modal;
}

async function submit(h: Harness, userId: string, viewId: string, values: Record<string, SubmissionValue>) {
  const res = await h.driver.viewSubmission({ userId, view: h.driver.submissionFromOpenedView(viewId, values) });
  expect(res.status).toBe(200);
  return res;
}

describe('pinned summary buttons', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('Assign role: the modal assigns like the command (invite, notice, DM, summary)', async () => {
    const inc = await declare(h, 'Role button');
    const modal = await clickSummary(h, inc, ACTION.assignRole, ROLE_VIEW, 'U0001');
    const res = await submit(h, 'U0001', modal.id, { role_select: 'ic', user_select: 'U0004' });
    expect(res.json?.response_action).toBeUndefined();
    expect(h.emu.views.get(modal.id)!.closed).toBe(true);
    await h.emu.waitFor(() => h.emu.channel(inc.channel)!.members.has('U0004'), { message: 'not invited' });
    await h.emu.waitFor(() => notices(h, inc).find((t) => t.includes('<@U0004>') && t.includes('Incident Commander')), { message: 'no notice' });
    const dm = await h.emu.waitFor(() => h.emu.dmsTo('U0004')[0], { message: 'no DM' });
    expect(dm.text).toContain('Incident Commander');
    await summaryShows(h, inc, (t) => t.includes('*Incident Commander:* <@U0004>') && !t.includes('No Incident Commander yet'), 'the IC');

    // Reassigning through the modal names both people in the channel.
    const again = await clickSummary(h, inc, ACTION.assignRole, ROLE_VIEW, 'U0002');
    await submit(h, 'U0002', again.id, { role_select: 'ic', user_select: 'U0005' });
    await h.emu.waitFor(() => notices(h, inc).find((t) => t.includes('<@U0004>') && t.includes('<@U0005>')), { message: 'no reassignment notice' });
    await summaryShows(h, inc, (t) => t.includes('*Incident Commander:* <@U0005>'), 'the new IC');

    // A missing field is shown on the form, nothing changes.
    const empty = await clickSummary(h, inc, ACTION.assignRole, ROLE_VIEW, 'U0002');
    const bad = await submit(h, 'U0002', empty.id, { role_select: 'tech' });
    expect(bad.json.response_action).toBe('errors');
    expect(bad.json.errors.user).toMatch(/Pick the person/);
    expect((await h.bot.store.roles.current(inc.id)).map((r) => r.role)).toEqual(['ic']);
    expect(h.emu.violations).toEqual([]);
  });

  it('Change severity: the modal starts at the current severity; raising to SEV1 is announced and shown', async () => {
    const inc = await declare(h, 'Severity button');
    const base = h.emu.messages(h.announce).length;
    const modal = await clickSummary(h, inc, ACTION.changeSeverity, SEVERITY_VIEW, 'U0002');
    expect(JSON.stringify(modal.blocks)).toMatch(/"initial_option":\{[^}]*"text":\{[^}]*"text":"SEV3"/);
    // Submitting the unchanged severity is refused on the form.
    const same = await submit(h, 'U0002', modal.id, {});
    expect(same.json.response_action).toBe('errors');
    expect(Object.values(same.json.errors).join(' ')).toMatch(/already SEV3/);
    await submit(h, 'U0002', modal.id, { severity_select: 'SEV1' });
    const a = await h.emu.waitFor(() => h.emu.messages(h.announce).slice(base).find((m) => m.text.includes(inc.ref)), { message: 'not announced' });
    expect(a.text).toContain('SEV1');
    await h.emu.waitFor(() => notices(h, inc).find((t) => t.includes('SEV3 → SEV1') && t.includes('<@U0002>')), { message: 'no notice' });
    await summaryShows(h, inc, (t) => t.includes('*SEV1*'), 'SEV1');
    expect(h.emu.violations).toEqual([]);
  });

  it('Post update: the modal posts the update, moves the status and shows the last update on the summary', async () => {
    const inc = await declare(h, 'Update button');
    const s0 = summaryText(h, inc);
    expect(s0).toMatch(/Last update: _none yet_/);
    const modal = await clickSummary(h, inc, ACTION.postUpdate, UPDATE_VIEW, 'U0003');
    await submit(h, 'U0003', modal.id, { update_status_select: 'identified', known_input: 'Bad config push', doing_input: 'Reverting it' });
    const posted = await h.emu.waitFor(() => notices(h, inc).find((t) => t.includes('Bad config push')), { message: 'update not posted' });
    expect(posted).toContain('Reverting it');
    const s = await summaryShows(h, inc, (t) => /Last update: <!date\^/.test(t) && t.includes('*Identified*'), 'the last update and the new status');
    expect(s).toMatch(/Next update due <!date\^/);
    const entries = await h.bot.store.timeline.list(inc.id);
    expect(entries.some((e) => e.kind === 'update' && e.actor === 'U0003' && e.text.includes('Bad config push'))).toBe(true);
    expect(entries.some((e) => e.kind === 'status' && e.actor === 'U0003')).toBe(true);
    expect(h.emu.violations).toEqual([]);
  });

  it('Add action: the modal adds the item like the command', async () => {
    const inc = await declare(h, 'Action button');
    const modal = await clickSummary(h, inc, ACTION.addAction, ACTION_VIEW, 'U0002');
    await submit(h, 'U0002', modal.id, { action_text_input: 'Add a canary stage', owner_select: 'U0006', due_picker: '2030-01-31' });
    const notice = await h.emu.waitFor(() => notices(h, inc).find((t) => t.includes('A-1') && t.includes('Add a canary stage')), { message: 'no action notice' });
    expect(notice).toContain('<@U0006>');
    expect(notice).toContain('2030-01-31');
    const list = await h.driver.command('actions', { channelId: inc.channel });
    expect(textOf(list.json.blocks)).toContain('Add a canary stage');
    expect(h.emu.violations).toEqual([]);
  });

  it('Resolve: the modal resolves like the command; the summary then offers the postmortem instead', async () => {
    const inc = await declare(h, 'Resolve button');
    const base = h.emu.messages(h.announce).length;
    const modal = await clickSummary(h, inc, ACTION.resolve, RESOLVE_VIEW, 'U0002');
    const late = await clickSummary(h, inc, ACTION.resolve, RESOLVE_VIEW, 'U0003');
    await submit(h, 'U0002', modal.id, { resolution_input: 'Failed over to the standby' });
    await h.emu.waitFor(() => notices(h, inc).find((t) => t.includes('resolved') && t.includes('Failed over to the standby')), { message: 'no resolve notice' });
    await h.emu.waitFor(() => h.emu.messages(h.announce).slice(base).find((m) => m.text.includes(`${inc.ref} resolved`)), { message: 'not announced' });
    const s = await summaryShows(h, inc, (t) => t.includes('*Resolved*') && t.includes('Failed over to the standby'), 'the resolution');
    expect(s).toMatch(/no more updates due/);
    const blocks = JSON.stringify(h.emu.pins(inc.channel)[0]!.blocks);
    expect(blocks).not.toContain(ACTION.resolve);
    expect(blocks).toContain(ACTION.postmortem);

    // A second resolve modal, opened before the first was submitted, is refused on the form.
    const twice = await submit(h, 'U0003', late.id, { resolution_input: 'Something else' });
    expect(twice.json.response_action).toBe('errors');
    expect(Object.values(twice.json.errors).join(' ')).toMatch(/already resolved/);
    expect((await h.bot.store.incidents.get(inc.id))!.resolution).toBe('Failed over to the standby');
    expect(h.emu.violations).toEqual([]);
  });

  it('a summary button clicked in another channel does nothing', async () => {
    const inc = await declare(h, 'Wrong channel');
    const before = h.emu.callsTo('views.open').length;
    const res = await h.driver.blockAction({ userId: 'U0002', actionId: ACTION.resolve, value: String(inc.id), channelId: 'C_GENERAL', messageTs: '1.000001' });
    expect(res.status).toBe(200);
    // A click in the right place afterwards proves the earlier one was handled (and ignored).
    await clickSummary(h, inc, ACTION.addAction, ACTION_VIEW, 'U0002');
    expect(h.emu.callsTo('views.open').slice(before).map((c) => (c.args.view as { callback_id?: string }).callback_id)).toEqual([ACTION_VIEW]);
    expect(h.emu.violations).toEqual([]);
  });
});
