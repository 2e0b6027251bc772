import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

const FAST = { UPDATE_CADENCE: 'SEV1=2s,SEV2=2s,SEV3=2s,SEV4=off', SCHEDULER_TICK: '1s', ESCALATE_AFTER_MISSED: '2', POSTMORTEM_DUE: '2s' };

async function declare(h: Harness, text = 'declare sev2 Reminder test'): Promise<string> {
  const res = await h.driver.command(text);
  const id = /<#(C[A-Z0-9]+)>/.exec(res.json.text)?.[1];
  if (id) return id;
  // The link may follow later (after the invite): find this incident's own channel by its number.
  const n = /INC-(\d+)/.exec(res.json.text)?.[1];
  return (await h.emu.waitFor(() => h.emu.channels.find((c) => c.name.startsWith(n ? `inc-${n}-` : 'inc-')))).id;
}

const reminders = (h: Harness, ch: string) => h.emu.messages(ch).filter((m) => /overdue/i.test(m.text));

describe('status update reminders', () => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });

  it('reminds when an update is overdue, naming nobody when no roles are held, and the clock keeps its grid', async () => {
    h = await startHarness(FAST);
    const ch = await declare(h);
    const first = await h.emu.waitFor(() => reminders(h, ch)[0], { timeoutMs: 5000 });
    expect(first.text + JSON.stringify(first.blocks)).toMatch(/nobody holds/i);
    await h.emu.waitFor(() => reminders(h, ch).length >= 2, { timeoutMs: 5000 });
    const incident = await h.bot.store.incidents.get(1);
    expect(incident!.missedUpdates).toBeGreaterThanOrEqual(2);
  });

  it('mentions the Communications Lead and the IC, and an update resets the clock and the count', async () => {
    h = await startHarness({ ...FAST, UPDATE_CADENCE: 'SEV1=3s,SEV2=3s,SEV3=3s,SEV4=off' });
    const ch = await declare(h);
    await h.driver.command('role ic <@U0002>', { channelId: ch });
    await h.driver.command('role comms <@U0003>', { channelId: ch });
    const r = await h.emu.waitFor(() => reminders(h, ch)[0], { timeoutMs: 6000 });
    expect(r.text + JSON.stringify(r.blocks)).toContain('<@U0002>');
    expect(r.text + JSON.stringify(r.blocks)).toContain('<@U0003>');
    const res = await h.driver.command('update Rolled back the deploy; error rate falling', { channelId: ch });
    expect(res.status).toBe(200);
    const after = reminders(h, ch).length;
    expect((await h.bot.store.incidents.get(1))!.missedUpdates).toBe(0);
    const update = await h.emu.waitFor(() => h.emu.messages(ch).find((m) => m.text.includes('Rolled back the deploy')));
    expect(update).toBeTruthy();
    // SEV2 updates also go to the announce channel.
    await h.emu.waitFor(() => h.emu.messages(h.announce).some((m) => m.text.includes('Rolled back the deploy') || JSON.stringify(m.blocks).includes('Rolled back the deploy')));
    await new Promise((r) => setTimeout(r, 2000));
    expect(reminders(h, ch).length).toBe(after); // not due yet: the update moved the due time
    await h.emu.waitFor(() => reminders(h, ch).length === after + 1, { timeoutMs: 4000 });
  });

  it('escalates after ESCALATE_AFTER_MISSED misses: DM to the IC and the announce channel is told', async () => {
    h = await startHarness(FAST);
    const ch = await declare(h);
    await h.driver.command('role ic <@U0004>', { channelId: ch });
    const dm = await h.emu.waitFor(() => h.emu.dmsTo('U0004').find((m) => /missed|quiet|overdue/i.test(m.text)), { timeoutMs: 8000 });
    expect(dm).toBeTruthy();
    expect(reminders(h, ch).length).toBeGreaterThanOrEqual(2);
    const quiet = await h.emu.waitFor(() => h.emu.messages(h.announce).find((m) => /quiet/i.test(m.text + JSON.stringify(m.blocks))));
    expect(quiet.text + JSON.stringify(quiet.blocks)).toContain(`<#${ch}>`);
  });

  it('snooze postpones the next reminder and says until when', async () => {
    h = await startHarness({ ...FAST, UPDATE_CADENCE: 'SEV1=3s,SEV2=3s,SEV3=3s,SEV4=off' });
    const ch = await declare(h);
    const res = await h.driver.command('snooze 1h', { channelId: ch });
    expect(res.json.text).toMatch(/snoozed until <!date\^\d+\^/);
    await new Promise((r) => setTimeout(r, 4500));
    expect(reminders(h, ch)).toHaveLength(0);
    const bad = await h.driver.command('snooze forever', { channelId: ch });
    expect(bad.json.text + JSON.stringify(bad.json.blocks ?? [])).toMatch(/snooze <duration>|30m|1h/);
  });

  it('goes silent after resolution and reminds about the postmortem unless a draft was produced', async () => {
    h = await startHarness(FAST);
    const ch = await declare(h);
    await h.driver.command('resolve Rolled back', { channelId: ch });
    const pm = await h.emu.waitFor(() => h.emu.messages(ch).find((m) => /postmortem for .* is due/i.test(m.text)), { timeoutMs: 5000 });
    expect(pm).toBeTruthy();
    await new Promise((r) => setTimeout(r, 2500));
    expect(reminders(h, ch)).toHaveLength(0);

    const ch2 = await declare(h, 'declare sev2 Second incident');
    await h.driver.command('resolve', { channelId: ch2 });
    await h.driver.command('postmortem', { channelId: ch2 });
    await h.emu.waitFor(() => h.emu.files.some((f) => f.name === 'INC-2-postmortem.md'));
    await new Promise((r) => setTimeout(r, 3000));
    expect(h.emu.messages(ch2).filter((m) => /postmortem for .* is due/i.test(m.text))).toHaveLength(0);
  });
});
