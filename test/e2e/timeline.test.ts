/** The incident timeline end to end: /incident log, the pushpin reaction, the add_to_timeline shortcut, bot changes, /incident timeline. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/domain/incident.js';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare, textOf } from './incident-helpers.js';

/** The timeline as `/incident timeline` shows it to `userId`: the ack must be ephemeral. */
async function timeline(h: Harness, inc: Declared, userId = 'U0001'): Promise<string> {
  const res = await h.driver.command('timeline', { userId, channelId: inc.channel });
  expect(res.status).toBe(200);
  expect(res.json.response_type).toBe('ephemeral');
  return textOf(res.json.blocks);
}

/** Timeline lines (one per entry) of a `/incident timeline` reply. */
function lines(text: string): string[] {
  return text.split('\n').filter((l) => /^:[a-z_]+: <!date\^/.test(l));
}

const messageEntries = async (h: Harness, inc: Declared): Promise<TimelineEntry[]> => (await h.bot.store.timeline.list(inc.id)).filter((e) => e.kind === 'message');

/** A `reaction_added` event by `user` on the message `ts` written by `author`. */
function reaction(channel: string, ts: string, user: string, reactionName = 'pushpin', author = 'U0002'): Record<string, unknown> {
  return { type: 'reaction_added', user, reaction: reactionName, item: { type: 'message', channel, ts }, item_user: author, event_ts: `${Math.floor(Date.now() / 1000)}.000200` };
}

describe('timeline', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('/incident log adds an entry with its author; /incident timeline shows it only to the caller with <!date> times', async () => {
    const inc = await declare(h, 'Timeline basics');
    const res = await h.driver.command('log Restarted the payments pods & drained <queue>', { userId: 'U0003', channelId: inc.channel });
    expect(res.json.text).toContain(`Added to the ${inc.ref} timeline`);

    const postsBefore = h.emu.callsTo('chat.postMessage').length + h.emu.callsTo('chat.postEphemeral').length;
    const t = await timeline(h, inc, 'U0004');
    expect(t).toContain(`Timeline of ${inc.ref}`);
    const [declared, logged] = lines(t);
    expect(declared).toContain('<@U0001>');
    expect(declared).toMatch(/declared as SEV3: Timeline basics/);
    expect(logged).toContain('<@U0003>: Restarted the payments pods &amp; drained &lt;queue&gt;');
    // Times are <!date^epoch^…|UTC fallback> tokens; with them stripped, no time or date remains in the reply.
    expect(logged).toMatch(/<!date\^\d{10}\^\{date_short_pretty\} \{time\}\|\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC>/);
    const stripped = t.replace(/<!date\^[^>]+>/g, '');
    expect(stripped).not.toMatch(/\d{1,2}:\d{2}/);
    expect(stripped).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(stripped).not.toMatch(/GMT|[AP]M\b/);
    // Only the caller saw it: nothing was posted anywhere.
    expect(h.emu.callsTo('chat.postMessage').length + h.emu.callsTo('chat.postEphemeral').length).toBe(postsBefore);

    const empty = await h.driver.command('log', { channelId: inc.channel });
    expect(empty.json.text).toMatch(/Say what to add to the timeline/);
    expect(empty.json.text).toContain('Usage: `/incident log &lt;text&gt;`');
    const extra = await h.driver.command('timeline please', { channelId: inc.channel });
    expect(extra.json.text).toContain('Usage: `/incident timeline`');
    expect(h.emu.violations).toEqual([]);
  });

  it('the pushpin reaction adds the message once (text, author, original time, permalink) however many reactions and retried events arrive', async () => {
    const inc = await declare(h, 'Reactions');
    const msg = await h.driver.userMessage({ userId: 'U0002', channelId: inc.channel, text: 'Error rate back to 0.1% after the rollback' });
    // Something else happens after the message was written but before it is pinned to the timeline.
    await h.driver.command('log Later note', { channelId: inc.channel });

    const first = await h.driver.event(reaction(inc.channel, msg.ts, 'U0003'));
    expect(first.status).toBe(200);
    await h.emu.waitFor(async () => (await messageEntries(h, inc)).length === 1, { message: 'reacted message never reached the timeline' });

    // Slack retries the same event, a second person reacts, and a third one's reaction is retried twice at once.
    const retries = [
      h.driver.event(reaction(inc.channel, msg.ts, 'U0003'), { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' }),
      h.driver.event(reaction(inc.channel, msg.ts, 'U0004')),
    ];
    const third = reaction(inc.channel, msg.ts, 'U0005');
    const thirdId = 'EvTHIRDREACTION';
    retries.push(h.driver.event(third, { eventId: thirdId }), h.driver.event(third, { eventId: thirdId, retryNum: 1 }), h.driver.event(third, { eventId: thirdId, retryNum: 2 }));
    for (const r of await Promise.all(retries)) expect(r.status).toBe(200);
    // A later, independent entry proves the handlers above have had their turn.
    const probe = await h.driver.userMessage({ userId: 'U0006', channelId: inc.channel, text: 'probe message' });
    await h.driver.event(reaction(inc.channel, probe.ts, 'U0006'));
    await h.emu.waitFor(async () => (await messageEntries(h, inc)).some((e) => e.text === 'probe message'), { message: 'probe never reached the timeline' });

    const entries = await messageEntries(h, inc);
    expect(entries.filter((e) => e.text === 'Error rate back to 0.1% after the rollback')).toHaveLength(1);
    const entry = entries.find((e) => e.text.startsWith('Error rate'))!;
    expect(entry.actor).toBe('U0002');
    expect(entry.at).toBe(Math.round(Number(msg.ts) * 1000));
    expect(entry.permalink).toBe(`https://emulator.slack.test/archives/${inc.channel}/p${msg.ts.replace('.', '')}`);

    const t = lines(await timeline(h, inc));
    const pinned = t.findIndex((l) => l.includes('Error rate back to 0.1%'));
    const later = t.findIndex((l) => l.includes('Later note'));
    expect(pinned).toBeGreaterThan(0);
    // Shown at the time it was written, so before the note logged after it.
    expect(pinned).toBeLessThan(later);
    expect(t[pinned]).toContain(`<!date^${Math.floor(Number(msg.ts))}^`);
    expect(t[pinned]).toContain('<@U0002>: Error rate');
    expect(t[pinned]).toContain(`<${entry.permalink}|(message)>`);
    expect(h.emu.violations).toEqual([]);
  });

  it('a pushpin on a thread reply adds the reply with its own text', async () => {
    const inc = await declare(h, 'Thread replies');
    const parent = await h.driver.userMessage({ userId: 'U0002', channelId: inc.channel, text: 'What changed at 10:00?' });
    const reply = await h.driver.userMessage({ userId: 'U0003', channelId: inc.channel, text: 'The cache TTL was lowered', threadTs: parent.ts });
    await h.driver.event(reaction(inc.channel, reply.ts, 'U0004', 'pushpin', 'U0003'));
    const [entry] = await h.emu.waitFor(async () => {
      const e = await messageEntries(h, inc);
      return e.length ? e : undefined;
    }, { message: 'thread reply never reached the timeline' });
    expect(entry).toMatchObject({ text: 'The cache TTL was lowered', actor: 'U0003', at: Math.round(Number(reply.ts) * 1000) });
    expect(entry!.permalink).toContain(`thread_ts=${parent.ts}`);
    expect(h.emu.violations).toEqual([]);
  });

  it('other reactions, and pushpins outside incident channels, add nothing', async () => {
    const inc = await declare(h, 'Ignored reactions');
    const msg = await h.driver.userMessage({ userId: 'U0002', channelId: inc.channel, text: 'just a thumbs up' });
    await h.driver.event(reaction(inc.channel, msg.ts, 'U0003', 'thumbsup'));
    const general = await h.driver.userMessage({ userId: 'U0002', channelId: 'C_GENERAL', text: 'not an incident channel' });
    await h.driver.event(reaction('C_GENERAL', general.ts, 'U0003'));
    const probe = await h.driver.userMessage({ userId: 'U0002', channelId: inc.channel, text: 'probe' });
    await h.driver.event(reaction(inc.channel, probe.ts, 'U0003'));
    await h.emu.waitFor(async () => (await messageEntries(h, inc)).length > 0, { message: 'probe never reached the timeline' });
    expect((await messageEntries(h, inc)).map((e) => e.text)).toEqual(['probe']);
    expect(h.emu.violations).toEqual([]);
  });

  it('the add_to_timeline shortcut adds the message once and tells the caller; it refuses outside incident channels', async () => {
    const inc = await declare(h, 'Shortcut');
    const msg = await h.driver.userMessage({ userId: 'U0002', channelId: inc.channel, text: 'DB failover completed' });
    const message = { ts: msg.ts, text: 'DB failover completed', user: 'U0002' };
    const res = await h.driver.messageShortcut({ callbackId: 'add_to_timeline', userId: 'U0003', channelId: inc.channel, message });
    expect(res.status).toBe(200);
    const reply = await h.emu.waitFor(() => h.emu.responses.find((r) => r.id === res.responseUrl!.split('/').pop()), { message: 'shortcut got no reply' });
    expect(String(reply.body.text)).toContain(`Added to the ${inc.ref} timeline`);
    expect(reply.body.response_type).toBe('ephemeral');

    // The same message by reaction (also retried) and by the shortcut again: still one entry.
    await h.driver.event(reaction(inc.channel, msg.ts, 'U0004'), { eventId: 'EvSHORTCUTDUP', retryNum: 1 });
    const again = await h.driver.messageShortcut({ callbackId: 'add_to_timeline', userId: 'U0004', channelId: inc.channel, message });
    const reply2 = await h.emu.waitFor(() => h.emu.responses.find((r) => r.id === again.responseUrl!.split('/').pop()), { message: 'second shortcut got no reply' });
    expect(String(reply2.body.text)).toMatch(/already on the INC-\d+ timeline/);
    const probe = await h.driver.userMessage({ userId: 'U0005', channelId: inc.channel, text: 'probe' });
    await h.driver.event(reaction(inc.channel, probe.ts, 'U0005'));
    await h.emu.waitFor(async () => (await messageEntries(h, inc)).some((e) => e.text === 'probe'), { message: 'probe never reached the timeline' });

    const entries = (await messageEntries(h, inc)).filter((e) => e.text === 'DB failover completed');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'U0002', at: Math.round(Number(msg.ts) * 1000) });
    expect(entries[0]!.permalink).toContain(`/archives/${inc.channel}/p`);
    const line = lines(await timeline(h, inc)).find((l) => l.includes('DB failover completed'));
    expect(line).toContain('<@U0002>');
    expect(line).toContain('|(message)>');

    const elsewhere = await h.driver.userMessage({ userId: 'U0002', channelId: 'C_GENERAL', text: 'hello' });
    const out = await h.driver.messageShortcut({ callbackId: 'add_to_timeline', userId: 'U0003', channelId: 'C_GENERAL', message: { ts: elsewhere.ts, text: 'hello', user: 'U0002' } });
    const refusal = await h.emu.waitFor(() => h.emu.responses.find((r) => r.id === out.responseUrl!.split('/').pop()), { message: 'refusal not sent' });
    expect(String(refusal.body.text)).toMatch(/incident channel/);
    expect(h.emu.violations).toEqual([]);
  });

  it('every bot change is on the timeline, in order, with who did it', async () => {
    const inc = await declare(h, 'Everything recorded', 'U0001');
    const steps: [string, string][] = [
      ['role ic <@U0002>', 'U0001'],
      ['severity sev2', 'U0002'],
      ['status identified', 'U0003'],
      ['update Rolling back now', 'U0004'],
      ['action Add an alert <@U0005>', 'U0005'],
      ['resolve Rollback done', 'U0006'],
    ];
    for (const [text, userId] of steps) {
      const res = await h.driver.command(text, { userId, channelId: inc.channel });
      expect(res.json.text, text).not.toMatch(/:warning:/);
    }
    const close = await h.driver.command('close', { userId: 'U0002', channelId: inc.channel });
    expect(close.json.text).toMatch(/closed/);

    const t = lines(await timeline(h, inc, 'U0009'));
    const expected: [RegExp, string][] = [
      [/declared as SEV3/, 'U0001'],
      [/is now Incident Commander/, 'U0001'],
      [/Severity changed from SEV3 to SEV2/, 'U0002'],
      [/Status changed from investigating to identified/, 'U0003'],
      [/Rolling back now/, 'U0004'],
      [/Action A-1 added: Add an alert/, 'U0005'],
      [/Resolved: Rollback done/, 'U0006'],
      [/Closed/, 'U0002'],
    ];
    expect(t).toHaveLength(expected.length);
    expected.forEach(([what, who], i) => {
      expect(t[i], String(what)).toMatch(what);
      expect(t[i], String(what)).toContain(`<@${who}>:`);
    });
    await h.emu.waitFor(() => h.emu.channel(inc.channel)!.is_archived, { message: 'channel not archived' });
    expect(h.emu.violations).toEqual([]);
  });
});
