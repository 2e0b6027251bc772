import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeArgs, root } from '../support/bot-bundle.js';
import { SlackEmulator } from '../slack-emulator/index.js';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare, notices } from './incident-helpers.js';

const run = promisify(execFile);
const DAY = 24 * 60 * 60 * 1000;

const lookups = (h: Harness, userId: string) => h.emu.callsTo('users.info').filter((c) => c.args.user === userId && c.status === 200);

// The store is the run's: SQLite in the `sqlite` project, PostgreSQL in `e2e-postgres` (vitest.config.ts).
describe(`the people directory: names outside Slack, mentions inside`, () => {
  let h: Harness;
  let inc: Declared;
  let skew = 0;

  beforeAll(async () => {
    const emu = new SlackEmulator();
    await emu.start();
    emu.addUser('U0ALICE01', 'alice', 'Europe/Berlin', { realName: 'Alice Chen', displayName: 'Alice C.' });
    // No display name set: the real name is shown.
    emu.addUser('U0BOB0001', 'bob', 'America/New_York', { realName: 'Bob Martins', displayName: '' });
    emu.addUser('U0CAROL01', 'carol', 'Asia/Tokyo', { realName: 'Carol Diaz', displayName: 'carol.d' });
    emu.addUser('U0DAN0001', 'dan', 'UTC', { realName: 'Dan Okafor', displayName: 'Dan O' });
    h = await startHarness({ UPDATE_CADENCE: 'SEV1=off,SEV2=off,SEV3=off,SEV4=off' }, { emu, clock: () => Date.now() + skew });
    inc = await declare(h, 'sev2 Checkout errors', 'U0ALICE01');
    const ch = { channelId: inc.channel };
    await h.driver.command('role ic <@U0BOB0001>', { ...ch, userId: 'U0ALICE01' });
    await h.driver.command('log <@U0CAROL01|carol> is restarting the pods', { ...ch, userId: 'U0BOB0001' });
    await h.driver.command('update Restart under way', { ...ch, userId: 'U0BOB0001' });
    await h.driver.command('action Add a pod restart alarm <@U0DAN0001> due:2099-01-15', { ...ch, userId: 'U0BOB0001' });
    await h.driver.command('resolve Pods restarted', { ...ch, userId: 'U0BOB0001' });
    // Everyone who appeared is looked up once, in the background.
    await h.emu.waitFor(async () => (await h.bot.store.people.many(['U0ALICE01', 'U0BOB0001', 'U0CAROL01', 'U0DAN0001'])).length === 4, { message: 'people not looked up' });
  }, 60_000);
  afterAll(async () => { await h?.close(); await h?.emu.stop(); });

  it('stores display name (else real name), time zone and when it was fetched, looking each person up once', async () => {
    const alice = await h.bot.store.people.get('U0ALICE01');
    expect(alice).toMatchObject({ name: 'Alice C.', tz: 'Europe/Berlin' });
    expect(typeof alice!.tzOffsetSec).toBe('number');
    expect(Math.abs(alice!.fetchedAt - Date.now())).toBeLessThan(60_000);
    expect((await h.bot.store.people.get('U0BOB0001'))!.name).toBe('Bob Martins');
    // Bob appeared in five commands but was looked up once.
    expect(lookups(h, 'U0BOB0001')).toHaveLength(1);
  });

  it('the uploaded postmortem names people everywhere and shows no raw user ids', async () => {
    await h.driver.command('postmortem', { channelId: inc.channel, userId: 'U0BOB0001' });
    const file = await h.emu.waitFor(() => h.emu.files.find((f) => f.name === `${inc.ref}-postmortem.md` && f.channels.includes(inc.channel) && f.content.includes("## Appendix")));
    const md = file.content;
    expect(md).toMatch(/\*\*Declared:\*\* .* by Alice C\./);
    expect(md).toMatch(/\*\*Participants:\*\* .*Alice C\..*Bob Martins/);
    expect(md).toMatch(/\| Incident Commander \| Bob Martins \| .* \| Alice C\. \|/); // roles table: holder and assigner
    expect(md).toContain('@Bob Martins is now Incident Commander'); // mention inside an event's text
    expect(md).toMatch(/\| Log \| Bob Martins \| @carol\.d is restarting the pods \|/);
    expect(md).toMatch(/Bob Martins \(Investigating, SEV2\): Restart under way/); // status updates
    expect(md).toMatch(/\| A-1 \| Add a pod restart alarm \| Dan O \| 2099-01-15 \| Open \|/); // action owner
    expect(md).not.toMatch(/U0(ALICE01|BOB0001|CAROL01|DAN0001)/);
    expect(h.emu.violations).toEqual([]);
  });

  it('inside Slack people stay mentions', () => {
    expect(notices(h, inc).some((t) => t.includes('<@U0BOB0001>'))).toBe(true);
    expect(notices(h, inc).join('\n')).not.toContain('Bob Martins');
  });

  it('the CLI export names people from the database while Slack is down', async () => {
    h.emu.setOutage(true);
    try {
      const out = path.join(h.dir, 'export.md');
      await run(process.execPath, await nodeArgs('cli/postmortem', inc.ref, '--out', out), { cwd: root, env: { PATH: process.env.PATH ?? '', DATABASE_URL: h.env.DATABASE_URL! } });
      const md = fs.readFileSync(out, 'utf8');
      expect(md).toMatch(/\| Incident Commander \| Bob Martins \|/);
      expect(md).toContain('@carol.d is restarting the pods');
      expect(md).not.toMatch(/U0(ALICE01|BOB0001|CAROL01|DAN0001)/);
    } finally {
      h.emu.setOutage(false);
    }
  });

  it('a stale entry (over a day old) is looked up again when the person shows up, and the new name is used', async () => {
    h.emu.addUser('U0BOB0001', 'bob', 'America/New_York', { realName: 'Robert Martins', displayName: '' });
    await h.driver.command('log still here', { channelId: inc.channel, userId: 'U0BOB0001' });
    // Fresh: no second lookup.
    await new Promise((r) => setTimeout(r, 300));
    expect(lookups(h, 'U0BOB0001')).toHaveLength(1);
    skew = DAY + 60_000;
    await h.driver.command('log back a day later', { channelId: inc.channel, userId: 'U0BOB0001' });
    await h.emu.waitFor(async () => (await h.bot.store.people.get('U0BOB0001'))?.name === 'Robert Martins', { message: 'stale name not refreshed' });
    expect(lookups(h, 'U0BOB0001')).toHaveLength(2);
    const out = path.join(h.dir, 'export-2.md');
    await run(process.execPath, await nodeArgs('cli/postmortem', inc.ref, '--out', out), { cwd: root, env: { PATH: process.env.PATH ?? '', DATABASE_URL: h.env.DATABASE_URL! } });
    expect(fs.readFileSync(out, 'utf8')).toMatch(/\| Incident Commander \| Robert Martins \|/);
  });
});
