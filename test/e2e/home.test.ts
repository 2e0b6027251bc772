/** App Home end to end: `app_home_opened` publishes the open incidents with severity, status, IC and channel link. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare, textOf } from './incident-helpers.js';

/** Opens App Home as `userId` and returns the published Home tab once it differs from `previousHash`. */
async function openHome(h: Harness, userId: string, previousHash?: string) {
  const res = await h.driver.event({ type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: 'home' });
  expect(res.status).toBe(200);
  return h.emu.waitFor(() => {
    const v = h.emu.homeViews.get(userId);
    return v && v.hash !== previousHash ? v : undefined;
  }, { message: 'Home tab not published' });
}

/** The Home tab's section about one incident. */
function incidentBlock(blocks: readonly unknown[], ref: string): string | undefined {
  return blocks.map(textOf).find((t) => t.includes(`*${ref} ·`));
}

describe('App Home', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('with no incidents says so and offers the declare button', async () => {
    const home = await openHome(h, 'U0004');
    const t = textOf(home.blocks);
    expect(t).toMatch(/No open incidents/);
    expect(JSON.stringify(home.blocks)).toContain('"action_id":"incident_declare"');
    expect(h.emu.violations).toEqual([]);
  });

  it('lists open incidents with severity, status, IC and a channel link, and follows later changes', async () => {
    const a = await declare(h, 'sev2 Payments failing');
    const b = await declare(h, 'sev4 Typo on status page');
    const c = await declare(h, 'sev3 Already fixed');
    await h.driver.command('role ic <@U0002>', { channelId: a.channel });
    await h.driver.command('status mitigating', { channelId: a.channel });
    await h.driver.command('resolve', { channelId: c.channel });

    const home = await openHome(h, 'U0005');
    expect(textOf(home.blocks)).toContain('Open incidents (2)');
    const lineA = incidentBlock(home.blocks, a.ref);
    expect(lineA).toContain('SEV2');
    expect(lineA).toContain('Payments failing');
    expect(lineA).toContain('Mitigating');
    expect(lineA).toContain('IC <@U0002>');
    expect(lineA).toContain(`<#${a.channel}>`);
    const lineB = incidentBlock(home.blocks, b.ref);
    expect(lineB).toContain('SEV4');
    expect(lineB).toContain('Investigating');
    expect(lineB).toMatch(/no IC/);
    expect(lineB).toContain(`<#${b.channel}>`);
    // Resolved incidents are no longer open.
    expect(incidentBlock(home.blocks, c.ref)).toBeUndefined();
    // Most severe first.
    const order = home.blocks.map(textOf);
    expect(order.findIndex((t) => t.includes(a.ref))).toBeLessThan(order.findIndex((t) => t.includes(b.ref)));

    // Opening Home again shows the current state.
    await h.driver.command('severity sev1', { channelId: b.channel });
    await h.driver.command('role ic <@U0003>', { channelId: b.channel });
    const again = await openHome(h, 'U0005', home.hash);
    const lineB2 = incidentBlock(again.blocks, b.ref);
    expect(lineB2).toContain('SEV1');
    expect(lineB2).toContain('IC <@U0003>');
    const order2 = again.blocks.map(textOf);
    expect(order2.findIndex((t) => t.includes(b.ref))).toBeLessThan(order2.findIndex((t) => t.includes(a.ref)));
    expect(h.emu.violations).toEqual([]);
  });

  it('ignores the Messages tab', async () => {
    await declare(h, 'sev3 Messages tab');
    await h.driver.event({ type: 'app_home_opened', user: 'U0006', channel: 'D0HOME', tab: 'messages' });
    // The Home tab opened afterwards is the first and only view published for the user.
    await openHome(h, 'U0006');
    expect(h.emu.callsTo('views.publish').filter((c) => c.args.user_id === 'U0006')).toHaveLength(1);
    expect(h.emu.violations).toEqual([]);
  });
});
