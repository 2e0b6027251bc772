/** Issue 12 item 6: every modal submission acts once per view, however often it is submitted (double click, Slack's retry). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_VIEW } from '../../src/slack/actions/add-action.js';
import { RESOLVE_VIEW } from '../../src/slack/actions/resolve.js';
import { ROLE_VIEW } from '../../src/slack/actions/role.js';
import { SEVERITY_VIEW } from '../../src/slack/actions/severity.js';
import { UPDATE_VIEW } from '../../src/slack/actions/update.js';
import { ACTION } from '../../src/slack/ids.js';
import type { SubmissionValue } from '../slack-emulator/index.js';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare } from './incident-helpers.js';

async function open(h: Harness, inc: Declared, actionId: string, callbackId: string, userId: string) {
  const before = h.emu.latestModal({ userId, callbackId })?.id;
  const pinned = h.emu.pins(inc.channel)[0]!;
  await h.driver.blockAction({ userId, actionId, channelId: inc.channel, messageTs: pinned.ts });
  return h.emu.waitFor(() => {
    const m = h.emu.latestModal({ userId, callbackId });
    return m && m.id !== before ? m : undefined;
  }, { message: `no ${callbackId} modal` });
}

/** Submits the same view three times: two at once, then a late repeat. */
async function submitThrice(h: Harness, userId: string, viewId: string, values: Record<string, SubmissionValue>) {
  const view = h.driver.submissionFromOpenedView(viewId, values);
  const both = await Promise.all([h.driver.viewSubmission({ userId, view }), h.driver.viewSubmission({ userId, view })]);
  const late = await h.driver.viewSubmission({ userId, view });
  for (const r of [...both, late]) {
    expect(r.status).toBe(200);
    expect(r.json?.response_action).toBeUndefined();
  }
}

describe('modal submissions are idempotent', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('update, role, severity, action and resolve each act once when submitted three times', async () => {
    const inc = await declare(h, 'sev2 Double submit');
    const u = 'U0002';

    await submitThrice(h, u, (await open(h, inc, ACTION.postUpdate, UPDATE_VIEW, u)).id, { update_status_select: 'identified', known_input: 'Bad config push', doing_input: 'Reverting it' });
    await submitThrice(h, u, (await open(h, inc, ACTION.assignRole, ROLE_VIEW, u)).id, { role_select: 'ic', user_select: 'U0004' });
    await submitThrice(h, u, (await open(h, inc, ACTION.changeSeverity, SEVERITY_VIEW, u)).id, { severity_select: 'SEV1' });
    await submitThrice(h, u, (await open(h, inc, ACTION.addAction, ACTION_VIEW, u)).id, { action_text_input: 'Add a canary stage' });
    await submitThrice(h, u, (await open(h, inc, ACTION.resolve, RESOLVE_VIEW, u)).id, { resolution_input: 'Reverted the push' });

    // Read through the store's ports, so this runs on SQLite and PostgreSQL alike.
    const { store } = h.bot;
    const timeline = await store.timeline.list(inc.id);
    expect(await store.updates.list(inc.id)).toHaveLength(1);
    expect(timeline.filter((e) => e.kind === 'status')).toHaveLength(1);
    expect(await store.roles.history(inc.id)).toHaveLength(1);
    expect(await store.severity.list(inc.id)).toHaveLength(1);
    expect(await store.actions.list(inc.id)).toHaveLength(1);
    expect(timeline.filter((e) => e.kind === 'resolved')).toHaveLength(1);
    // And in Slack: one update posted in the channel and one announced (SEV2).
    await h.emu.waitFor(async () => (await h.bot.queue.stats()).pending === 0, { message: 'outbox not drained' });
    const inChannel = h.emu.messages(inc.channel).filter((m) => m.text.includes('Bad config push'));
    expect(inChannel).toHaveLength(1);
    expect(h.emu.messages(h.announce).filter((m) => m.text.includes('Bad config push'))).toHaveLength(1);
  });
});
