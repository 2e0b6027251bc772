/**
 * Status update reminders end to end, on a stepped clock: one test lets the scheduler's own timer tick (proving that
 * SCHEDULER_TICK drives it, with no tick() calls); the rest call Scheduler.tick() at clock times they choose.
 * Real cadences on real time (the due grid, catch-up after downtime) are proved by reminder-restart.test.ts and
 * replicas.test.ts, whose bot processes cannot be given a clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { drained, steppedClock } from './incident-helpers.js';

/** Minute cadences and no timer ticks: only the test's own Scheduler.tick() calls fire reminders, at clock times the test chooses. */
const STEPPED = { UPDATE_CADENCE: 'SEV1=10m,SEV2=10m,SEV3=10m,SEV4=off', SCHEDULER_TICK: '1h', ESCALATE_AFTER_MISSED: '2', POSTMORTEM_DUE: '1h' };
const MIN = 60_000;
/** The same, with the scheduler's timer ticking every second on its own: a reminder fires within a second of the clock passing its due time. */
const TIMER = { ...STEPPED, SCHEDULER_TICK: '1s' };


async function declare(h: Harness, text = 'declare sev2 Reminder test'): Promise<string> {
  const res = await h.driver.command(text);
  const n = /INC-(\d+)/.exec(res.json.text)?.[1];
  // The link may follow later (after the invite): find this incident's own channel by its number.
  const id = /<#(C[A-Z0-9]+)>/.exec(res.json.text)?.[1]
    ?? (await h.emu.waitFor(() => h.emu.channels.find((c) => c.name.startsWith(n ? `inc-${n}-` : 'inc-')))).id;
  // Commands in the channel need the bot to have recorded it, a moment after Slack created it.
  await h.emu.waitFor(() => h.bot.store.incidents.byChannel(id));
  return id;
}

const reminders = (h: Harness, ch: string) => h.emu.messages(ch).filter((m) => /overdue/i.test(m.text));
/** The "(n updates missed in a row)" count a reminder states. */
const missedIn = (text: string) => Number(/\((\d+) updates? missed in a row\)/.exec(text)?.[1]);
const escalationDms = (h: Harness, user: string) => h.emu.dmsTo(user).filter((m) => /missed|quiet|overdue/i.test(m.text));


describe('status update reminders', () => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });

  it('on the scheduler\'s own timer: reminds when an update is overdue, naming nobody when no roles are held, and the next one counts one more miss', async () => {
    // Real 2 s cadences made this test wait 5 s; stepping the clock a cadence at a time leaves only the timer's tick (≤ 1 s) to wait for.
    const t = steppedClock();
    h = await startHarness(TIMER, { clock: t.clock });
    const ch = await declare(h);
    t.advance(10 * MIN);
    const first = await h.emu.waitFor(() => reminders(h, ch)[0], { timeoutMs: 5000 });
    expect(first.text + JSON.stringify(first.blocks)).toMatch(/nobody holds/i);
    t.advance(10 * MIN);
    const [a, b] = await h.emu.waitFor(() => (reminders(h, ch).length >= 2 ? reminders(h, ch) : null), { timeoutMs: 5000 });
    expect(missedIn(a!.text)).toBe(1); // one cadence passed: one miss, exactly
    expect(missedIn(b!.text)).toBe(missedIn(a!.text) + 1);
    expect(reminders(h, ch)).toHaveLength(2);
  });

  it('mentions the Communications Lead and the IC, and an update resets the clock and the count', async () => {
    const t = steppedClock();
    h = await startHarness(STEPPED, { clock: t.clock });
    const ch = await declare(h);
    await h.driver.command('role ic <@U0002>', { channelId: ch });
    await h.driver.command('role comms <@U0003>', { channelId: ch });
    t.advance(10 * MIN);
    expect(await h.bot.scheduler.tick()).toBe(1);
    const r = await h.emu.waitFor(() => reminders(h, ch)[0]);
    expect(r.text + JSON.stringify(r.blocks)).toContain('<@U0002>');
    expect(r.text + JSON.stringify(r.blocks)).toContain('<@U0003>');
    expect(missedIn(r.text)).toBe(1);
    const res = await h.driver.command('update Rolled back the deploy; error rate falling', { channelId: ch });
    expect(res.status).toBe(200);
    expect((await h.bot.store.incidents.get(1))!.missedUpdates).toBe(0);
    await h.emu.waitFor(() => h.emu.messages(ch).some((m) => m.text.includes('Rolled back the deploy')), { message: 'update not posted' });
    // SEV2 updates also go to the announce channel.
    await h.emu.waitFor(() => h.emu.messages(h.announce).some((m) => m.text.includes('Rolled back the deploy') || JSON.stringify(m.blocks).includes('Rolled back the deploy')));
    t.advance(9 * MIN);
    expect(await h.bot.scheduler.tick()).toBe(0); // not due yet: the update moved the due time to update + 10 min
    t.advance(1 * MIN);
    expect(await h.bot.scheduler.tick()).toBe(1);
    const next = await h.emu.waitFor(() => reminders(h, ch)[1]);
    expect(missedIn(next.text)).toBe(1); // the update started a new count
    expect(reminders(h, ch)).toHaveLength(2);
  });

  it('escalates once the misses reach ESCALATE_AFTER_MISSED: one DM to the IC and the announce channel is told, once per streak', async () => {
    const t = steppedClock();
    h = await startHarness(STEPPED, { clock: t.clock });
    const ch = await declare(h);
    await h.driver.command('role ic <@U0004>', { channelId: ch });
    t.advance(10 * MIN);
    expect(await h.bot.scheduler.tick()).toBe(1);
    await h.emu.waitFor(() => reminders(h, ch).length === 1);
    await drained(h);
    expect(escalationDms(h, 'U0004')).toEqual([]); // one miss is below the threshold of 2
    t.advance(10 * MIN);
    expect(await h.bot.scheduler.tick()).toBe(1);
    const dm = await h.emu.waitFor(() => escalationDms(h, 'U0004')[0], { message: 'no escalation DM after 2 misses' });
    expect(dm.text + JSON.stringify(dm.blocks)).toMatch(/2 missed/);
    // The DM and the channel's reminder go out in different lanes: either may land first.
    await h.emu.waitFor(() => reminders(h, ch).length === 2, { message: 'no second reminder' });
    expect(reminders(h, ch).map((m) => missedIn(m.text))).toEqual([1, 2]);
    const quiet = await h.emu.waitFor(() => h.emu.messages(h.announce).find((m) => /quiet/i.test(m.text + JSON.stringify(m.blocks))));
    expect(quiet.text + JSON.stringify(quiet.blocks)).toContain(`<#${ch}>`);
    t.advance(10 * MIN);
    expect(await h.bot.scheduler.tick()).toBe(1);
    await h.emu.waitFor(() => reminders(h, ch).length === 3);
    await drained(h);
    expect(escalationDms(h, 'U0004')).toHaveLength(1);
    expect(h.emu.messages(h.announce).filter((m) => /quiet/i.test(m.text + JSON.stringify(m.blocks)))).toHaveLength(1);
  });

  it('snooze postpones the next reminder until the time it says, and a bad duration is answered with the form', async () => {
    const t = steppedClock();
    h = await startHarness(STEPPED, { clock: t.clock });
    const ch = await declare(h);
    const res = await h.driver.command('snooze 1h', { channelId: ch });
    const until = Number(/snoozed until <!date\^(\d+)\^/.exec(res.json.text)?.[1]) * 1000;
    expect(until - t.clock()).toBeGreaterThan(59 * MIN);
    expect(until - t.clock()).toBeLessThanOrEqual(60 * MIN);
    t.advance(59 * MIN);
    expect(await h.bot.scheduler.tick()).toBe(0);
    t.advance(1 * MIN);
    expect(await h.bot.scheduler.tick()).toBe(1);
    await h.emu.waitFor(() => reminders(h, ch).length === 1, { message: 'no reminder once the snooze ended' });
    const bad = await h.driver.command('snooze forever', { channelId: ch });
    expect(bad.json.text + JSON.stringify(bad.json.blocks ?? [])).toMatch(/snooze <duration>|30m|1h/);
  });

  it('goes silent after resolution and reminds about the postmortem unless a draft was produced', async () => {
    const t = steppedClock();
    h = await startHarness(STEPPED, { clock: t.clock });
    const ch = await declare(h);
    await h.driver.command('resolve Rolled back', { channelId: ch });
    const ch2 = await declare(h, 'declare sev2 Second incident');
    await h.driver.command('resolve', { channelId: ch2 });
    await h.driver.command('postmortem', { channelId: ch2 });
    await h.emu.waitFor(() => h.emu.files.some((f) => f.name === 'INC-2-postmortem.md'));
    t.advance(60 * MIN);
    await h.bot.scheduler.tick();
    await h.emu.waitFor(() => h.emu.messages(ch).find((m) => /postmortem for .* is due/i.test(m.text)), { message: 'no postmortem reminder' });
    await drained(h);
    expect(reminders(h, ch)).toHaveLength(0);
    expect(reminders(h, ch2)).toHaveLength(0);
    expect(h.emu.messages(ch2).filter((m) => /postmortem for .* is due/i.test(m.text))).toHaveLength(0);
    expect(h.emu.violations).toEqual([]);
  });
});
