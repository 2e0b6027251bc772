/** Issue 12 item 4: Slack answers after the client gave up (here 1 s against a 0.6 s timeout, as 11 s against 10 s): the retry waits for the late answer, so nothing is posted twice. */
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../slack-emulator/index.js';
import { type Harness, startHarness } from './harness.js';
import { declare } from './incident-helpers.js';

describe('a slow Slack', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('a status update and a postmortem upload that land after the client timeout are not sent again', async () => {
    // A 0.6 s timeout (not 1 s) and answers 1 s late: the same ambiguity, with each timed-out call and its settling wait shorter.
    h = await startHarness({}, { bot: { slackTimeoutMs: 600, worker: { backoffBaseMs: 50, backoffCapMs: 200, idlePollMs: 20 } } });
    const inc = await declare(h, 'sev2 Slow Slack');
    // Slack applies these calls only after 1 s: the bot has given up waiting at 0.6 s.
    const slow = (c: CallRecord) => c.method === 'files.completeUploadExternal' || String(c.args.text ?? '').includes('Slow answer');
    h.emu.inject('chat.postMessage', { lateMs: 1000 }, { times: 2, match: (a) => String(a.text ?? '').includes('Slow answer') });
    h.emu.inject('files.completeUploadExternal', { lateMs: 1000 }, { times: 1 });
    await h.driver.command('update Slow answer from Slack', { channelId: inc.channel });
    await h.driver.command('resolve Done', { channelId: inc.channel });
    await h.driver.command('postmortem', { channelId: inc.channel });
    await h.emu.waitFor(async () => {
      const s = await h!.bot.queue.stats();
      return s.pending === 0 && s.inflight === 0 && h!.emu.files.some((f) => f.completed);
    }, { timeoutMs: 20_000, message: 'outbox never drained' });
    // Drained, the bot makes no more calls; once Slack has applied every call it received (a late one has no status
    // until then), any duplicate would be there to see.
    const received = () => [...h!.emu.callsTo('chat.postMessage'), ...h!.emu.callsTo('files.completeUploadExternal')].filter(slow);
    await h.emu.waitFor(() => received().every((c) => c.status !== 0), { timeoutMs: 5000, message: 'a late call was never applied' });
    expect(received().filter((c) => c.method === 'chat.postMessage').length).toBeGreaterThanOrEqual(2); // the slow calls were made
    expect(h.emu.messages(inc.channel).filter((m) => m.text.includes('Slow answer'))).toHaveLength(1);
    expect(h.emu.messages(h.announce).filter((m) => m.text.includes('Slow answer'))).toHaveLength(1);
    expect(h.emu.files.filter((f) => f.completed && f.name === `${inc.ref}-postmortem.md`)).toHaveLength(1);
  });
});
