/** Working an incident end to end through signed slash commands: roles, severity, status lifecycle, resolve and close. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare, drained, notices, summaryShows, summaryText, textOf } from './incident-helpers.js';

function waitNotice(h: Harness, inc: Declared, pred: (t: string) => boolean, what: string): Promise<string> {
  return h.emu.waitFor(() => notices(h, inc).find(pred), { message: `no channel notice ${what}` });
}

function announced(h: Harness): string[] {
  return h.emu.messages(h.announce).map((m) => m.text);
}

describe('working an incident: roles', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('the pinned summary ends showing the latest roles even when an earlier refresh lands late', async () => {
    const inc = await declare(h, 'Summary refresh order');
    // Slack holds the refresh that follows the first role change; the second change is made meanwhile.
    let release = (): void => undefined;
    h.emu.inject('chat.update', { until: new Promise<void>((r) => { release = r; }) }, { times: 1 });
    await h.driver.command('role ic <@U0002>', { userId: 'U0001', channelId: inc.channel });
    await h.emu.waitFor(() => h.emu.callsTo('chat.update').length === 1, { message: 'no summary refresh' });
    await h.driver.command('role tech <@U0003>', { userId: 'U0001', channelId: inc.channel });
    // The Technical Lead's duties DM went out: the worker has been through what the second change queued.
    await h.emu.waitFor(() => h.emu.dmsTo('U0003').length === 1, { message: 'no DM to the Technical Lead' });
    await new Promise((r) => setTimeout(r, 200));
    release();
    await drained(h);
    // The held refresh (IC only) must not be the last word: the refresh after it shows both roles.
    const text = summaryText(h, inc);
    expect(text).toContain('*Incident Commander:* <@U0002>');
    expect(text).toContain('*Technical Lead:* <@U0003>');
  });

  it('assigning a role invites, announces in the channel, DMs the duties and shows the holder on the pinned summary', async () => {
    const inc = await declare(h, 'Payments failing');
    expect(summaryText(h, inc)).toContain('No Incident Commander yet');
    expect(h.emu.channel(inc.channel)!.members.has('U0002')).toBe(false);

    const res = await h.driver.command('role ic <@U0002|alice>', { userId: 'U0001', channelId: inc.channel });
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text).toContain('<@U0002>');
    expect(res.json.text).toContain('Incident Commander');

    await h.emu.waitFor(() => h.emu.channel(inc.channel)!.members.has('U0002'), { message: 'IC not invited' });
    const notice = await waitNotice(h, inc, (t) => t.includes('<@U0002>') && t.includes('Incident Commander'), 'about the new IC');
    expect(notice).toContain('<@U0001>'); // who assigned it
    const dm = await h.emu.waitFor(() => h.emu.dmsTo('U0002')[0], { message: 'no DM to the new IC' });
    expect(dm.text).toContain('Incident Commander');
    expect(dm.text).toContain(inc.ref);
    expect(dm.text).toMatch(/coordinate the response/i);
    expect(dm.text).toContain(`<#${inc.channel}>`);

    const s = await summaryShows(h, inc, (t) => t.includes('*Incident Commander:* <@U0002>'), 'the IC');
    expect(s).not.toContain('No Incident Commander yet');
    expect(h.emu.callsTo('chat.update').some((c) => c.args.ts === inc.summaryTs && c.args.channel === inc.channel)).toBe(true);
    expect(h.emu.violations).toEqual([]);
  });

  it('a reassignment names both people, aliases work, and one person may hold several roles', async () => {
    const inc = await declare(h, 'Search degraded');
    await h.driver.command('role ic <@U0002>', { channelId: inc.channel });
    const re = await h.driver.command('role commander <@U0003|bob>', { userId: 'U0004', channelId: inc.channel });
    expect(re.json.text).toContain('<@U0002>');
    expect(re.json.text).toContain('<@U0003>');
    expect(re.json.text).toMatch(/reassigned/i);
    const notice = await waitNotice(h, inc, (t) => t.includes('<@U0002>') && t.includes('<@U0003>'), 'naming both the old and the new IC');
    expect(notice).toContain('Incident Commander');
    expect(notice).toContain('<@U0004>');

    const tech = await h.driver.command('role TECH <@U0003>', { channelId: inc.channel });
    expect(tech.json.text).toContain('Technical Lead');
    const comms = await h.driver.command('role communications <@U0003>', { channelId: inc.channel });
    expect(comms.json.text).toContain('Communications Lead');

    await h.emu.waitFor(() => h.emu.dmsTo('U0003').length === 3, { message: 'U0003 did not get one DM per role' });
    const dms = h.emu.dmsTo('U0003').map((m) => m.text).join('\n');
    expect(dms).toContain('Incident Commander');
    expect(dms).toContain('Technical Lead');
    expect(dms).toContain('Communications Lead');

    await summaryShows(h, inc, (t) => t.includes('*Incident Commander:* <@U0003>') && t.includes('*Technical Lead:* <@U0003>') && t.includes('*Communications Lead:* <@U0003>'), 'U0003 in all three roles');
    expect(summaryText(h, inc)).not.toContain('<@U0002>');

    const roles = await h.driver.command('roles', { userId: 'U0005', channelId: inc.channel });
    expect(roles.json.response_type).toBe('ephemeral');
    const rolesText = textOf(roles.json.blocks);
    expect(rolesText).toMatch(/Incident Commander:\*? <@U0003>/);
    expect(rolesText).toMatch(/Technical Lead:\*? <@U0003>/);
    expect(rolesText).toMatch(/Communications Lead:\*? <@U0003>/);
    expect(h.emu.violations).toEqual([]);
  });

  it('/incident roles says plainly who is missing', async () => {
    const inc = await declare(h, 'Queue backlog');
    await h.driver.command('role tech <@U0002>', { channelId: inc.channel });
    const roles = await h.driver.command('roles', { channelId: inc.channel });
    const t = textOf(roles.json.blocks);
    expect(t).toMatch(/Technical Lead:\*? <@U0002>/);
    expect(t).toMatch(/Incident Commander:\*? _?nobody/);
    expect(t).toContain('/incident role ic');
    await summaryShows(h, inc, (s) => s.includes('*Technical Lead:* <@U0002>'), 'the tech lead');
    expect(summaryText(h, inc)).toContain('No Incident Commander yet');
    expect(h.emu.violations).toEqual([]);
  });

  it('role mistakes say what was wrong and show the right form', async () => {
    const inc = await declare(h, 'Login errors');
    const unknownRole = await h.driver.command('role boss <@U0002>', { channelId: inc.channel });
    expect(unknownRole.json.text).toMatch(/Unknown role/);
    expect(unknownRole.json.text).toContain('/incident role &lt;ic|tech|comms&gt; &lt;@user&gt;');
    const notMention = await h.driver.command('role ic @alice', { channelId: inc.channel });
    expect(notMention.json.text).toMatch(/not a Slack mention/);
    expect(notMention.json.text).toContain('Usage:');
    const nobody = await h.driver.command('role ic', { channelId: inc.channel });
    expect(nobody.json.text).toMatch(/Say who should be Incident Commander/);
    expect(nobody.json.text).toContain('Usage:');
    const bare = await h.driver.command('role', { channelId: inc.channel });
    expect(bare.json.text).toContain('Usage:');
    // Nothing was assigned by any of them.
    expect(textOf((await h.driver.command('roles', { channelId: inc.channel })).json.blocks)).not.toContain('<@U0002>');
    expect(h.emu.violations).toEqual([]);
  });
});

describe('working an incident: outside its channel', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('commands that act on an incident, typed elsewhere, explain how to reach an incident and change nothing', async () => {
    const inc = await declare(h, 'Outside channel');
    const before = h.emu.calls.length;
    for (const text of ['role ic <@U0002>', 'roles', 'log hello', 'severity sev1', 'status identified', 'resolve done', 'close', 'timeline']) {
      const res = await h.driver.command(text, { userId: 'U0003', channelId: 'C_GENERAL' });
      expect(res.status).toBe(200);
      expect(res.json.response_type).toBe('ephemeral');
      expect(res.json.text, text).toMatch(/must be typed in that incident's channel/);
      expect(res.json.text, text).toContain('/incident list');
    }
    // No Slack call was made on their behalf, and the incident is unchanged.
    expect(h.emu.calls.slice(before).map((c) => c.method)).toEqual([]);
    const incident = await h.bot.store.incidents.get(inc.id);
    expect(incident).toMatchObject({ severity: 'SEV3', status: 'investigating' });
    expect(await h.bot.store.roles.current(inc.id)).toEqual([]);
    expect(h.emu.violations).toEqual([]);
  });
});

describe('working an incident: severity', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('raising to SEV2/SEV1 is announced, and once it was SEV1–2 every change is; the channel is told and the summary follows', async () => {
    const inc = await declare(h, 'Checkout slow');
    const base = announced(h).length;

    const up = await h.driver.command('severity sev2', { userId: 'U0002', channelId: inc.channel });
    expect(up.json.text).toContain('SEV3');
    expect(up.json.text).toContain('SEV2');
    const a1 = await h.emu.waitFor(() => announced(h).slice(base).find((t) => t.includes(inc.ref)), { message: 'raise to SEV2 not announced' });
    expect(a1).toContain('SEV2');
    expect(a1).toContain(`<#${inc.channel}>`);
    await waitNotice(h, inc, (t) => /Severity raised/.test(t) && t.includes('SEV3 → SEV2') && t.includes('<@U0002>'), 'about the raise');
    await summaryShows(h, inc, (t) => t.includes('*SEV2*'), 'SEV2');

    // Lowering (alias `sev`, upper case) is told in the channel, and announced: the incident was SEV2.
    const down = await h.driver.command('SEV Sev4', { channelId: inc.channel });
    expect(down.json.text).toContain('SEV4');
    await waitNotice(h, inc, (t) => /Severity lowered/.test(t) && t.includes('SEV2 → SEV4'), 'about the lowering');
    await summaryShows(h, inc, (t) => t.includes('*SEV4*') && /reminders off/i.test(t), 'SEV4 with reminders off');
    // SEV4 → SEV3 is announced too, for the same reason.
    await h.driver.command('sev 3', { channelId: inc.channel });
    await summaryShows(h, inc, (t) => t.includes('*SEV3*'), 'SEV3 again');

    await h.driver.command('sev p1', { channelId: inc.channel });
    const a2 = await h.emu.waitFor(() => announced(h).slice(base).find((t) => t.includes('SEV1')), { message: 'raise to SEV1 not announced' });
    expect(a2).toContain(inc.ref);
    // The announce lane is ordered: everything queued before the SEV1 raise has been delivered by now.
    expect(announced(h).slice(base)).toHaveLength(4);
    expect(announced(h).slice(base)[1]).toContain('lowered from SEV2 to *SEV4*');
    await summaryShows(h, inc, (t) => t.includes('*SEV1*') && t.includes('Next update due <!date^'), 'SEV1 with a next update due time');
    expect(h.emu.violations).toEqual([]);
  });

  it('severity mistakes say what was wrong and show the right form', async () => {
    const inc = await declare(h, 'Severity mistakes');
    const bad = await h.driver.command('severity sev5', { channelId: inc.channel });
    expect(bad.json.text).toMatch(/Bad severity/);
    expect(bad.json.text).toContain('/incident severity &lt;sev1-4&gt;');
    const none = await h.driver.command('sev', { channelId: inc.channel });
    expect(none.json.text).toMatch(/Say the new severity/);
    expect(none.json.text).toContain('/incident severity');
    const same = await h.driver.command('severity sev3', { channelId: inc.channel });
    expect(same.json.text).toMatch(/already SEV3/);
    expect(same.json.text).toContain('/incident severity');
    expect((await h.bot.store.incidents.get(inc.id))!.severity).toBe('SEV3');
    expect(h.emu.violations).toEqual([]);
  });
});

describe('working an incident: status updates on the summary', () => {
  let h: Harness;
  // A clock the test moves forward by hand (real time still passes underneath), so the due time visibly moves.
  let offset = 0;
  beforeEach(async () => { offset = 0; h = await startHarness({}, { clock: () => Date.now() + offset }); });
  afterEach(async () => { await h.close(); });

  it('/incident update posts in the channel and moves the last update and next due time on the pinned summary', async () => {
    const inc = await declare(h, 'Update clock');
    const s0 = summaryText(h, inc);
    expect(s0).toContain('Last update: _none yet_');
    const due0 = /Next update due <!date\^(\d+)\^/.exec(s0)?.[1];
    expect(due0).toBeDefined();
    offset += 5 * 60_000;
    const res = await h.driver.command('update Found the bad query; adding an index', { userId: 'U0002', channelId: inc.channel });
    expect(res.json.text).toMatch(/Status update for INC-\d+ posted/);
    const posted = await waitNotice(h, inc, (t) => t.includes('Found the bad query; adding an index'), 'with the update');
    expect(posted).toMatch(/SEV3/);
    const s = await summaryShows(h, inc, (t) => /Last update: <!date\^\d+\^/.test(t), 'the last update');
    const due1 = /Next update due <!date\^(\d+)\^/.exec(s)?.[1];
    // SEV3 is due every 60 min from the last update: 5 minutes later (plus the real seconds the test took).
    expect(Number(due1) - Number(due0)).toBeGreaterThanOrEqual(300);
    expect(Number(due1) - Number(due0)).toBeLessThan(360);
    // SEV3 updates are not announced.
    expect(announced(h).some((t) => t.includes('Found the bad query'))).toBe(false);
    expect(h.emu.violations).toEqual([]);
  });
});

describe('working an incident: status lifecycle, resolve and close', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('moves along the table, skips forward, steps back from monitoring to mitigating, and refuses other moves with the reason and what is allowed', async () => {
    const inc = await declare(h, 'Lifecycle');
    const skip = await h.driver.command('status mitigating', { userId: 'U0002', channelId: inc.channel });
    expect(skip.json.text).toMatch(/investigating to mitigating/);
    await waitNotice(h, inc, (t) => t.includes('Investigating → Mitigating') && t.includes('<@U0002>'), 'about the status move');
    await summaryShows(h, inc, (t) => t.includes('*Mitigating*'), 'Mitigating');

    const back = await h.driver.command('status identified', { channelId: inc.channel });
    expect(back.json.text).toMatch(/cannot go back from mitigating to identified/);
    expect(back.json.text).toMatch(/Allowed from mitigating: monitoring, resolved/);
    expect(back.json.text).toContain('Usage: `/incident status');

    await h.driver.command('status Monitoring', { channelId: inc.channel });
    await summaryShows(h, inc, (t) => t.includes('*Monitoring*'), 'Monitoring');
    const relapse = await h.driver.command('status mitigating', { channelId: inc.channel });
    expect(relapse.json.text).toMatch(/monitoring to mitigating/);
    await summaryShows(h, inc, (t) => t.includes('*Mitigating*'), 'Mitigating again');

    const same = await h.driver.command('status mitigating', { channelId: inc.channel });
    expect(same.json.text).toMatch(/already mitigating/);
    const unknown = await h.driver.command('status fixed', { channelId: inc.channel });
    expect(unknown.json.text).toMatch(/Unknown status/);
    expect(unknown.json.text).toContain('/incident status &lt;investigating|identified|mitigating|monitoring|resolved&gt;');
    const closed = await h.driver.command('status closed', { channelId: inc.channel });
    expect(closed.json.text).toContain('/incident close');

    const resolved = await h.driver.command('status resolved', { channelId: inc.channel });
    expect(resolved.json.text).toMatch(/mitigating to resolved/);
    const after = await h.driver.command('status investigating', { channelId: inc.channel });
    expect(after.json.text).toMatch(/already resolved/);
    expect(after.json.text).toMatch(/Allowed from resolved: closed/);
    expect((await h.bot.store.incidents.get(inc.id))!.status).toBe('resolved');
    expect(h.emu.violations).toEqual([]);
  });

  it('resolve announces, stops the update clock on the summary; close is refused before resolution and for a non-IC, then the IC closes and the channel is archived', async () => {
    const inc = await declare(h, 'Resolve and close');
    await h.driver.command('role ic <@U0002>', { channelId: inc.channel });
    await summaryShows(h, inc, (t) => t.includes('*Incident Commander:* <@U0002>'), 'the IC');

    const early = await h.driver.command('close', { userId: 'U0002', channelId: inc.channel });
    expect(early.json.text).toMatch(/Cannot close INC-\d+: resolve it first/);
    expect(early.json.text).toContain('Usage: `/incident close`');

    const base = announced(h).length;
    const res = await h.driver.command('resolve Rolled back the bad deploy', { userId: 'U0003', channelId: inc.channel });
    expect(res.json.text).toMatch(/resolved/);
    await waitNotice(h, inc, (t) => t.includes('resolved') && t.includes('Rolled back the bad deploy') && t.includes('<@U0003>'), 'about the resolution');
    const a = await h.emu.waitFor(() => announced(h).slice(base).find((t) => t.includes(`${inc.ref} resolved`)), { message: 'resolution not announced' });
    expect(a).toContain('Rolled back the bad deploy');
    const s = await summaryShows(h, inc, (t) => t.includes('*Resolved*'), 'Resolved');
    expect(s).toContain('Rolled back the bad deploy');
    expect(s).toMatch(/no more updates due/);
    expect(s).not.toMatch(/Next update due/);

    const again = await h.driver.command('resolve', { channelId: inc.channel });
    expect(again.json.text).toMatch(/already resolved/);

    const notIc = await h.driver.command('close', { userId: 'U0003', channelId: inc.channel });
    expect(notIc.json.text).toMatch(/only the Incident Commander <@U0002> may close/);
    expect(h.emu.channel(inc.channel)!.is_archived).toBe(false);

    const ok = await h.driver.command('close', { userId: 'U0002', channelId: inc.channel });
    expect(ok.json.text).toMatch(/closed/);
    await h.emu.waitFor(() => h.emu.channel(inc.channel)!.is_archived, { message: 'channel not archived' });
    // The closing note went out before the channel was archived.
    expect(notices(h, inc).some((t) => t.includes(`${inc.ref} closed`) && t.includes('<@U0002>'))).toBe(true);
    const incident = await h.bot.store.incidents.get(inc.id);
    expect(incident!.status).toBe('closed');

    const twice = await h.driver.command('close', { userId: 'U0002', channelId: inc.channel });
    expect(twice.json.text).toMatch(/already closed/);
    const leave = await h.driver.command('status investigating', { channelId: inc.channel });
    expect(leave.json.text).toMatch(/closed incident cannot change/);
    expect(h.emu.violations).toEqual([]);
  });

  it('anyone may close when no IC was ever assigned', async () => {
    const open = await declare(h, 'Nobody in charge');
    await h.driver.command('role tech <@U0002>', { channelId: open.channel });
    await h.driver.command('resolve', { channelId: open.channel });
    const closed = await h.driver.command('close', { userId: 'U0007', channelId: open.channel });
    expect(closed.json.text).toMatch(/closed/);
    await h.emu.waitFor(() => h.emu.channel(open.channel)!.is_archived, { message: 'channel not archived' });
    expect(notices(h, open).some((t) => t.includes(`${open.ref} closed`) && t.includes('<@U0007>'))).toBe(true);
    expect(h.emu.violations).toEqual([]);
  });
});
