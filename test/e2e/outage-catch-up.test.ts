/** Issue 12 item 2: a 60 s Slack outage under a 3 s cadence ends with one catch-up reminder per incident, no repeated escalations, and nothing made stale by an update or a resolution. Fake clock, manual ticks. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('after a Slack outage', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('sends one catch-up reminder per incident, escalates once per streak, and drops what an update or resolution made stale', async () => {
    let t = Date.UTC(2026, 0, 5, 9, 0, 0);
    h = await startHarness(
      { UPDATE_CADENCE: 'SEV1=3s,SEV2=3s,SEV3=3s,SEV4=off', SCHEDULER_TICK: '1h', ESCALATE_AFTER_MISSED: '2' },
      { clock: () => t, bot: { worker: { idlePollMs: 20, backoffBaseMs: 500, backoffCapMs: 5_000 } } },
    );
    const { emu } = h;
    const channels: string[] = [];
    for (const title of ['Quiet one', 'Updated one', 'Resolved one']) {
      await h.driver.command(`declare sev1 ${title}`, { userId: 'U0001' });
      const id = channels.length + 1;
      const ch = (await emu.waitFor(() => emu.channels.find((c) => c.name.startsWith(`inc-${id}-`)))).id;
      // Commands in the channel need the bot to have recorded it, a moment after Slack created it.
      await emu.waitFor(() => h!.bot.store.incidents.byChannel(ch));
      await h.driver.command('role ic <@U0002>', { channelId: ch });
      channels.push(ch);
    }
    const [quiet, updated, resolved] = channels as [string, string, string];
    // Time moves on while we wait, as it would: backoffs and open circuits elapse on the fake clock.
    const drained = () => emu.waitFor(async () => {
      const s = await h!.bot.queue.stats();
      t += 250;
      return s.pending === 0 && s.inflight === 0;
    }, { timeoutMs: 15_000, intervalMs: 20, message: 'outbox never drained' });
    await drained();
    const reminders = (ch: string) => emu.messages(ch).filter((m) => /status update for INC-\d+ is overdue/i.test(m.text));
    const escalations = () => emu.dmsTo('U0002').filter((m) => /missed status update/.test(m.text));
    const goneQuiet = () => emu.messages(h!.announce).filter((m) => /gone quiet/.test(m.text));
    expect(channels.map(reminders).flat()).toHaveLength(0);

    // 60 s without Slack, a tick every 3 s; half-way an update on one incident and a resolution of another.
    emu.setOutage(true);
    for (let i = 1; i <= 20; i++) {
      t += 3_000;
      await h.bot.scheduler.tick();
      if (i === 10) {
        expect((await h.driver.command('update Failing over, next update soon', { channelId: updated })).status).toBe(200);
        expect((await h.driver.command('resolve Rolled back', { channelId: resolved })).status).toBe(200);
      }
      await sleep(30); // let the worker try (and fail) meanwhile
    }
    emu.setOutage(false);
    t += 120_000; // past every backoff and open circuit
    h.bot.worker.kick();
    await drained();

    // One catch-up per incident still active, counting every miss; none for the resolved one.
    expect(reminders(quiet)).toHaveLength(1);
    expect(reminders(quiet)[0]!.text).toContain('20 updates missed in a row');
    expect(reminders(updated)).toHaveLength(1);
    expect(reminders(updated)[0]!.text).toMatch(/\b(9|10) updates missed in a row/); // the streak after the update, not before it
    expect(reminders(resolved)).toHaveLength(0);
    // One escalation per incident still quiet, in each direction; none about the resolved one.
    expect(escalations().map((m) => /INC-(\d+)/.exec(m.text)?.[1]).sort()).toEqual(['1', '2']);
    expect(goneQuiet().map((m) => /INC-(\d+)/.exec(m.text)?.[1]).sort()).toEqual(['1', '2']);

    // Later misses keep reminding on the grid but do not escalate again.
    t += 3_000;
    await h.bot.scheduler.tick();
    await drained();
    expect(reminders(quiet)).toHaveLength(2);
    expect(escalations()).toHaveLength(2);
    expect(goneQuiet()).toHaveLength(2);
  });
});
