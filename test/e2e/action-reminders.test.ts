import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_VIEW } from '../../src/slack/actions/add-action.js';
import { ACTION } from '../../src/slack/ids.js';
import { SlackEmulator } from '../slack-emulator/index.js';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare, textOf } from './incident-helpers.js';

const BASE = Date.parse('2026-12-01T12:00:00Z');

const LA = 'U0LEE0001'; // America/Los_Angeles: UTC-8 in December
const TOKYO = 'U0KEN0001'; // Asia/Tokyo: UTC+9

// The store is the run's: SQLite in the `sqlite` project, PostgreSQL in `e2e-postgres` (vitest.config.ts).
describe(`action item reminders: the owner's morning, then weekly while overdue`, () => {
  // A fake clock: real time runs on (so deliveries proceed) from a chosen start, and `jumpTo` moves it across days at once.
  const started = Date.now();
  let skew = 0;
  const clock = () => BASE + (Date.now() - started) + skew;
  const jumpTo = (iso: string) => { skew = Date.parse(iso) - BASE - (Date.now() - started); };
  let h: Harness;
  let inc: Declared;
  const dms = (user: string) => h.emu.dmsTo(user).filter((m) => m.text.includes('Action item'));
  const tick = () => h.bot.scheduler.tick();

  beforeAll(async () => {
    const emu = new SlackEmulator();
    await emu.start();
    emu.addUser(LA, 'lee', 'America/Los_Angeles');
    emu.addUser(TOKYO, 'ken', 'Asia/Tokyo');
    h = await startHarness({ UPDATE_CADENCE: 'SEV1=off,SEV2=off,SEV3=off,SEV4=off', SCHEDULER_TICK: '1h' }, { emu, clock });
    inc = await declare(h, 'sev3 Keys about to expire');
  }, 60_000);
  afterAll(async () => { await h?.close(); await h?.emu.stop(); });

  it('refuses a due date in the past with the right form, and adds nothing', async () => {
    const res = await h.driver.command(`action Rotate the keys <@${LA}> due:2026-11-30`, { channelId: inc.channel });
    const text = res.json.text + textOf(res.json.blocks ?? []);
    expect(text).toContain('due:2026-11-30 is in the past');
    expect(text).toContain('today is 2026-12-01');
    expect(text).toContain('due:YYYY-MM-DD');
    expect(await h.bot.store.actions.list(inc.id)).toHaveLength(0);
  });

  it('the Add action form refuses a past date on its date picker', async () => {
    const pinned = h.emu.pins(inc.channel)[0]!;
    await h.driver.blockAction({ userId: 'U0001', actionId: ACTION.addAction, channelId: inc.channel, messageTs: pinned.ts });
    const modal = await h.emu.waitFor(() => h.emu.latestModal({ userId: 'U0001', callbackId: ACTION_VIEW }));
    const res = await h.driver.viewSubmission({ userId: 'U0001', view: h.driver.submissionFromOpenedView(modal.id, { action_text_input: 'Rotate the keys', owner_select: LA, due_picker: '2026-11-30' }) });
    expect(res.json.response_action).toBe('errors');
    expect(res.json.errors.due).toContain('due:2026-11-30 is in the past');
    expect(await h.bot.store.actions.list(inc.id)).toHaveLength(0);
  });

  it('reminds the owner at 09:00 on the due date in their own zone, once', async () => {
    expect((await h.driver.command('action Write the key-rotation runbook', { channelId: inc.channel })).json.text).toContain('A-1');
    expect((await h.driver.command(`action Rotate the keys <@${LA}> due:2026-12-02`, { channelId: inc.channel })).json.text).toContain('A-2');
    expect((await h.driver.command(`action Update the client certs <@${TOKYO}> due:2026-12-05`, { channelId: inc.channel })).json.text).toContain('A-3');
    // The owners' zones come from the people directory (users.info), filled in the background.
    await h.emu.waitFor(async () => (await h.bot.store.people.get(LA))?.tz === 'America/Los_Angeles' && (await h.bot.store.people.get(TOKYO))?.tz === 'Asia/Tokyo');

    jumpTo('2026-12-02T16:59:00Z'); // 08:59 in Los Angeles: not yet (the old bot sent it at 00:00 UTC)
    expect(await tick()).toBe(0);
    jumpTo('2026-12-02T17:00:30Z'); // 09:00 in Los Angeles
    expect(await tick()).toBe(1);
    const dm = await h.emu.waitFor(() => dms(LA)[0]);
    expect(dm.text).toContain('A-2');
    expect(dm.text).toMatch(/due today/);
    expect(await tick()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(dms(LA)).toHaveLength(1);

    jumpTo('2026-12-04T23:59:00Z'); // 08:59 on 12-05 in Tokyo
    expect(await tick()).toBe(0);
    jumpTo('2026-12-05T00:00:30Z');
    expect(await tick()).toBe(1);
    expect((await h.emu.waitFor(() => dms(TOKYO)[0])).text).toContain('A-3');
  });

  it('/incident actions lists overdue items first and flags them', async () => {
    jumpTo('2026-12-05T12:00:00Z');
    const res = await h.driver.command('actions', { channelId: inc.channel });
    const text = textOf(res.json.blocks);
    expect(text.indexOf('*A-2*')).toBeGreaterThan(-1);
    expect(text.indexOf('*A-2*')).toBeLessThan(text.indexOf('*A-1*'));
    expect(text.indexOf('*A-1*')).toBeLessThan(text.indexOf('*A-3*'));
    expect(text).toMatch(/\*A-2\* · :warning: \*overdue\*/);
    expect(text).not.toMatch(/\*A-3\* · :warning:/); // due today in Tokyo: not overdue yet
    expect(res.json.text).toContain('1 overdue');
  });

  it('reminds weekly while overdue, and stops once done', async () => {
    jumpTo('2026-12-09T16:59:00Z');
    expect(await tick()).toBe(0);
    jumpTo('2026-12-09T17:00:30Z');
    expect(await tick()).toBe(1);
    const second = await h.emu.waitFor(() => dms(LA)[1]);
    expect(second.text).toMatch(/A-2.*is overdue \(it was due 2026-12-02\)/);

    const done = await h.driver.command('action done A-2', { channelId: inc.channel, userId: LA });
    expect(done.json.text).toContain('marked done');
    jumpTo('2026-12-16T17:01:00Z');
    // A-3 (Tokyo) is still open and overdue: its weekly reminder fires, A-2's does not.
    expect(await tick()).toBe(1);
    await h.emu.waitFor(() => dms(TOKYO)[1]);
    expect(dms(LA)).toHaveLength(2);
    expect(h.emu.violations).toEqual([]);
  });
});
