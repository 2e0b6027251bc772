/** Severity changes: a new count of missed updates (no false escalation), and announcements both ways for incidents that are or were SEV1–2. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare, drained, steppedClock, textOf } from './incident-helpers.js';

const IC = 'U0004';


// The pinned summary says "(overdue)" too while an update is late: only the bot's reminder messages count.
const reminders = (h: Harness, inc: Declared) => h.emu.messages(inc.channel).filter((m) => m.ts !== inc.summaryTs && /overdue/.test(textOf(m.blocks)));
const announced = (h: Harness, inc: Declared, what: RegExp) => h.emu.messages(h.announce).filter((m) => m.text.includes(inc.ref) && what.test(textOf(m.blocks)));


describe('severity changes', () => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });

  it('a severity change starts a new count of misses: SEV2 with 2 misses → sev4 → sev1 does not escalate', async () => {
    const t = steppedClock();
    // No cron ticks: only the test's own Scheduler.tick() calls fire reminders.
    h = await startHarness({ UPDATE_CADENCE: 'SEV1=3s,SEV2=4s,SEV3=60m,SEV4=off', ESCALATE_AFTER_MISSED: '3', SCHEDULER_TICK: '1h' }, { clock: t.clock });
    const inc = await declare(h, 'sev2 Checkout latency');
    await h.driver.command(`role ic <@${IC}>`, { userId: 'U0001', channelId: inc.channel });

    for (const missed of [1, 2]) {
      t.advance(4_000);
      expect(await h.bot.scheduler.tick()).toBe(1);
      await h.emu.waitFor(() => reminders(h, inc).length === missed, { message: `reminder ${missed} not posted` });
    }
    expect((await h.bot.store.incidents.get(inc.id))!.missedUpdates).toBe(2);

    await h.driver.command('severity sev4', { userId: 'U0001', channelId: inc.channel });
    expect((await h.bot.store.incidents.get(inc.id))!.missedUpdates).toBe(0);
    t.advance(60_000);
    expect(await h.bot.scheduler.tick()).toBe(0); // SEV4 has cadence off: no reminders, no misses

    await h.driver.command('severity sev1', { userId: 'U0001', channelId: inc.channel });
    t.advance(500);
    expect(await h.bot.scheduler.tick()).toBe(1);
    await h.emu.waitFor(() => reminders(h, inc).length === 3, { message: 'reminder after sev1 not posted' });
    await drained(h);

    const last = textOf(reminders(h, inc)[2]!.blocks);
    expect(last).toContain('1 update missed in a row');
    expect(h.emu.dmsTo(IC).filter((m) => /missed status update/.test(textOf(m.blocks)))).toEqual([]);
    expect(announced(h, inc, /gone quiet/)).toEqual([]);
    expect((await h.bot.store.incidents.get(inc.id))!.missedUpdates).toBe(1);

    // The new count still escalates once it reaches ESCALATE_AFTER_MISSED under the new cadence.
    for (const missed of [2, 3]) {
      t.advance(3_000);
      expect(await h.bot.scheduler.tick()).toBe(1);
      await h.emu.waitFor(() => reminders(h, inc).length === 2 + missed, { message: `reminder ${missed} under sev1 not posted` });
    }
    await h.emu.waitFor(() => h.emu.dmsTo(IC).some((m) => /3 missed status updates/.test(textOf(m.blocks))), { message: 'no escalation after 3 misses under SEV1' });
    expect(h.emu.violations).toEqual([]);
  });

  it('lowering a SEV1 is announced, and changes to a resolved incident that was SEV1–2 say it is resolved', async () => {
    h = await startHarness();
    const inc = await declare(h, 'sev1 Payments down');
    await h.driver.command('severity sev3', { userId: 'U0002', channelId: inc.channel });
    const lowered = await h.emu.waitFor(() => announced(h, inc, /lowered from SEV1 to \*SEV3\*/)[0], { message: 'lowering not announced' });
    expect(textOf(lowered.blocks)).toContain('by <@U0002>');
    expect(textOf(lowered.blocks)).not.toContain('resolved');

    await h.driver.command('resolve Rolled back', { userId: 'U0002', channelId: inc.channel });
    await h.emu.waitFor(() => announced(h, inc, /resolved\*/)[0], { message: 'resolution not announced' });
    await h.driver.command('severity sev2', { userId: 'U0002', channelId: inc.channel });
    const raised = await h.emu.waitFor(() => announced(h, inc, /raised from SEV3 to \*SEV2\*/)[0], { message: 'raise of a resolved incident not announced' });
    expect(textOf(raised.blocks)).toContain(`*${inc.ref}* (resolved) raised`);
    expect(textOf(raised.blocks)).toContain('already resolved');
    await h.driver.command('severity sev4', { userId: 'U0002', channelId: inc.channel });
    const lowerResolved = await h.emu.waitFor(() => announced(h, inc, /lowered from SEV2 to \*SEV4\*/)[0], { message: 'lowering of a resolved incident not announced' });
    expect(textOf(lowerResolved.blocks)).toContain('(resolved)');
    expect(h.emu.violations).toEqual([]);
  });

  it('an incident that never was SEV1–2 announces no severity change below SEV2', async () => {
    h = await startHarness();
    const inc = await declare(h, 'sev3 Slow search');
    await h.driver.command('severity sev4', { userId: 'U0002', channelId: inc.channel });
    await h.driver.command('severity sev2', { userId: 'U0002', channelId: inc.channel });
    await h.emu.waitFor(() => announced(h, inc, /raised from SEV4 to \*SEV2\*/)[0], { message: 'raise to SEV2 not announced' });
    await drained(h);
    expect(announced(h, inc, /lowered/)).toEqual([]);
    // Once it was SEV2, lowering it again is announced too.
    await h.driver.command('severity sev3', { userId: 'U0002', channelId: inc.channel });
    await h.emu.waitFor(() => announced(h, inc, /lowered from SEV2 to \*SEV3\*/)[0], { message: 'lowering a former SEV2 not announced' });
    expect(h.emu.violations).toEqual([]);
  });
});
