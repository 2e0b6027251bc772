/** What people type reaches Slack as they typed it: mentions stay mentions, pings are defused, long text is kept whole and shown shortened with a note. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare, notices, textOf } from './incident-helpers.js';

const BOB = 'U0002';
const SHORTENED = /shortened here; the postmortem keeps the full text: `\/incident postmortem`/;

/** A pasted stack trace of about 4,990 characters whose last line is unique. */
function stackTrace(): string {
  const frames = Array.from({ length: 120 }, (_, i) => `    at processTicksAndRejections (node:internal/process/task_queues:${i}:5)`);
  const last = '\n    at LAST_FRAME_MARKER (/srv/payments/index.js:1:1)';
  const head = `Error: connect ECONNREFUSED 10.0.0.7:5432\n${frames.join('\n')}`;
  return head.slice(0, 4990 - last.length) + last;
}

describe('typed text in Slack', () => {
  let h: Harness;
  let inc: Declared;

  beforeAll(async () => {
    h = await startHarness();
    inc = await declare(h, 'sev2 Payments database refuses connections');
  });
  afterAll(async () => { await h.close(); });

  const timeline = async (): Promise<string> => {
    const res = await h.driver.command('timeline', { userId: 'U0005', channelId: inc.channel });
    expect(res.json.response_type).toBe('ephemeral');
    return textOf(res.json.blocks);
  };

  it('timeline entries show mentions as mentions and defuse only broadcast pings', async () => {
    await h.driver.command(`role ic <@${BOB}|bob>`, { userId: 'U0001', channelId: inc.channel });
    const log = await h.driver.command(`log <@${BOB}|bob> is restarting the pods; see <#${h.announce}|incidents> <!channel> <!here|here> <!everyone> <!subteam^S0SRE|@sre-oncall>`, { userId: 'U0003', channelId: inc.channel });
    expect(log.json.text).toContain('Added to the');

    const t = await timeline();
    expect(t).toContain(`<@${BOB}> is now Incident Commander`);
    expect(t).toContain(`<@U0003>: <@${BOB}> is restarting the pods; see <#${h.announce}> \`@channel\` \`@here\` \`@everyone\` \`@sre-oncall\``);
    expect(t).not.toContain('&lt;@');
    expect(t).not.toContain('&lt;#');
    expect(t).not.toMatch(/<!(?:channel|here|everyone|subteam)/);
    expect(h.emu.violations).toEqual([]);
  });

  it('a status update keeps its mentions in the channel and defuses its pings', async () => {
    await h.driver.command(`update <@${BOB}|bob> failed over to the replica <!here>`, { userId: 'U0001', channelId: inc.channel });
    const posted = await h.emu.waitFor(() => h.emu.messages(inc.channel).find((m) => textOf(m.blocks).includes('failed over to the replica')), { message: 'update not posted' });
    const text = textOf(posted.blocks);
    expect(text).toContain(`<@${BOB}> failed over to the replica \`@here\``);
    expect(JSON.stringify(posted)).not.toContain('<!here');
    const announced = await h.emu.waitFor(() => h.emu.messages(h.announce).find((m) => textOf(m.blocks).includes('failed over to the replica')), { message: 'update not announced' });
    expect(textOf(announced.blocks)).toContain(`<@${BOB}> failed over`);
    expect(JSON.stringify(announced)).not.toContain('<!here');
    expect(h.emu.violations).toEqual([]);
  });

  it('a 4,990-character log entry is accepted, stored whole, shown shortened with a note, and whole in the postmortem', async () => {
    const trace = stackTrace();
    expect(trace.length).toBe(4990);
    const res = await h.driver.command(`log ${trace}`, { userId: 'U0004', channelId: inc.channel });
    expect(res.json.text).toContain(`Added to the ${inc.ref} timeline`);
    const stored = (await h.bot.store.timeline.list(inc.id)).find((e) => e.kind === 'log' && e.text.startsWith('Error: connect ECONNREFUSED'));
    expect(stored?.text).toBe(trace);

    const t = await timeline();
    const line = t.split('\n').findIndex((l) => l.includes('Error: connect ECONNREFUSED'));
    expect(line).toBeGreaterThanOrEqual(0);
    expect(t).toMatch(SHORTENED);
    expect(t).not.toContain('LAST_FRAME_MARKER');

    await h.driver.command('postmortem', { userId: 'U0001', channelId: inc.channel });
    const file = await h.emu.waitFor(() => h.emu.files.find((f) => f.name === `${inc.ref}-postmortem.md` && f.completed), { message: 'postmortem not uploaded' });
    expect(file.content).toContain('LAST_FRAME_MARKER');
    expect(h.emu.violations).toEqual([]);
  });

  it('a long status update and resolution are posted shortened with a note, and stored whole', async () => {
    const long = `Root cause: ${'the connection pool was exhausted by retries; '.repeat(100)}END_OF_UPDATE`;
    expect(long.length).toBeGreaterThan(4000);
    const res = await h.driver.command(`update ${long}`, { userId: 'U0001', channelId: inc.channel });
    expect(res.json.text).toContain('Status update');
    const posted = await h.emu.waitFor(() => h.emu.messages(inc.channel).find((m) => textOf(m.blocks).includes('Root cause: the connection pool')), { message: 'long update not posted' });
    expect(textOf(posted.blocks)).toMatch(SHORTENED);
    expect(textOf(posted.blocks)).not.toContain('END_OF_UPDATE');
    expect((await h.bot.store.updates.list(inc.id)).some((u) => u.text === long)).toBe(true);

    const summary = `${'Failed over to the replica and drained the retry queue. '.repeat(80)}END_OF_SUMMARY`;
    const resolved = await h.driver.command(`resolve ${summary}`, { userId: 'U0001', channelId: inc.channel });
    expect(resolved.json.text).toContain('resolved');
    await h.emu.waitFor(() => notices(h, inc).some((n) => n.includes('resolved')), { message: 'resolution not posted' });
    const notice = h.emu.messages(inc.channel).find((m) => textOf(m.blocks).includes('*Resolution:*'))!;
    expect(textOf(notice.blocks)).toMatch(SHORTENED);
    expect((await h.bot.store.incidents.get(inc.id))?.resolution).toBe(summary);
    expect(h.emu.violations).toEqual([]);
  });

  it('/incident resolve on a resolved incident says it is already resolved', async () => {
    const again = await h.driver.command('resolve', { userId: 'U0001', channelId: inc.channel });
    expect(again.json.text).toContain(`${inc.ref} is already resolved`);
    expect(again.json.text).toContain('/incident close');
    expect(again.json.text).not.toContain('/incident status');
  });
});

describe('long titles', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });

  it('a 600-character title declares; the channel name, topic and header are shortened and the pinned summary shows it whole', async () => {
    const title = `Checkout ${'and payments and search '.repeat(25)}END_OF_TITLE`;
    expect(title.length).toBeGreaterThan(500);
    const inc = await declare(h, `sev1 ${title}`);
    const ch = h.emu.channel(inc.channel)!;
    expect(ch.name.length).toBeLessThanOrEqual(80);
    expect(ch.topic.length).toBeLessThanOrEqual(250);
    const pinned = textOf(h.emu.pins(inc.channel)[0]!.blocks);
    expect(pinned).toContain('END_OF_TITLE');
    expect((await h.bot.store.incidents.get(inc.id))?.title).toBe(title);
    expect(h.emu.violations).toEqual([]);
  });
});
