/** Issue 12 item 4: Slack answers after the client gave up (here 1.7 s against a 1 s timeout, as 11 s against 10 s): the retry waits for the late answer, so nothing is posted twice. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { declare } from './incident-helpers.js';

describe('a slow Slack', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('a status update and a postmortem upload that land after the client timeout are not sent again', async () => {
    h = await startHarness({}, { bot: { slackTimeoutMs: 1000, worker: { backoffBaseMs: 50, backoffCapMs: 200, idlePollMs: 20 } } });
    const inc = await declare(h, 'sev2 Slow Slack');
    // Slack applies these calls only after 1.7 s: the bot has given up waiting at 1 s.
    h.emu.inject('chat.postMessage', { lateMs: 1700 }, { times: 2, match: (a) => String(a.text ?? '').includes('Slow answer') });
    h.emu.inject('files.completeUploadExternal', { lateMs: 1700 }, { times: 1 });
    await h.driver.command('update Slow answer from Slack', { channelId: inc.channel });
    await h.driver.command('resolve Done', { channelId: inc.channel });
    await h.driver.command('postmortem', { channelId: inc.channel });
    await h.emu.waitFor(async () => {
      const s = await h!.bot.queue.stats();
      return s.pending === 0 && s.inflight === 0 && h!.emu.files.some((f) => f.completed);
    }, { timeoutMs: 20_000, message: 'outbox never drained' });
    await new Promise((r) => setTimeout(r, 1500)); // any late duplicate would land by now
    expect(h.emu.messages(inc.channel).filter((m) => m.text.includes('Slow answer'))).toHaveLength(1);
    expect(h.emu.messages(h.announce).filter((m) => m.text.includes('Slow answer'))).toHaveLength(1);
    expect(h.emu.files.filter((f) => f.completed && f.name === `${inc.ref}-postmortem.md`)).toHaveLength(1);
  });
});
