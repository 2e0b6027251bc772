/** Shared steps of the end-to-end tests about a declared incident: declaring one and reading what the bot posted. */
import { expect } from 'vitest';
import type { Harness } from './harness.js';

/** A declared incident as a test sees it. */
export interface Declared {
  id: number;
  ref: string;
  channel: string;
  summaryTs: string;
}

/** Every `text` string in a block tree, joined by newlines (mrkdwn as the bot wrote it). */
export function textOf(node: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) {
        if (k === 'text' && typeof v === 'string') out.push(v);
        else walk(v);
      }
    }
  };
  walk(node);
  return out.join('\n');
}

/** Declares `[sevN] <title>` (SEV3 when no severity is given) from #general and waits until it is fully set up: channel, pinned summary, topic, declarer invited, announcement. */
export async function declare(h: Harness, title: string, userId = 'U0001'): Promise<Declared> {
  const text = /^sev[1-4]\s/i.test(title) ? title : `sev3 ${title}`;
  const res = await h.driver.command(`declare ${text}`, { userId });
  expect(res.status).toBe(200);
  const id = Number(/INC-(\d+)/.exec(String(res.json?.text))?.[1]);
  expect(id).toBeGreaterThan(0);
  const channel = /<#(C[A-Z0-9]+)>/.exec(String(res.json.text))?.[1]
    ?? (await h.emu.waitFor(() => h.emu.channels.find((c) => c.name.startsWith(`inc-${id}-`)), { message: 'incident channel not created' })).id;
  const pinned = await h.emu.waitFor(() => h.emu.pins(channel)[0], { message: 'summary not pinned' });
  await h.emu.waitFor(() => h.emu.messages(h.announce).some((m) => m.text.includes(`INC-${id}`)), { message: 'declaration not announced' });
  await h.emu.waitFor(() => h.emu.channel(channel)!.topic && h.emu.channel(channel)!.members.has(userId), { message: 'declaration not finished' });
  return { id, ref: `INC-${id}`, channel, summaryTs: pinned.ts };
}

/** The text of the one pinned summary, checking it is still the same message (updated in place, never re-posted). */
export function summaryText(h: Harness, inc: Declared): string {
  const pins = h.emu.pins(inc.channel);
  if (pins.length !== 1 || pins[0]!.ts !== inc.summaryTs) throw new Error(`expected exactly the original pinned summary, got ${pins.map((p) => p.ts).join(',')}`);
  return textOf(pins[0]!.blocks);
}

/** Waits until the pinned summary satisfies `pred`. */
export function summaryShows(h: Harness, inc: Declared, pred: (text: string) => boolean, what: string): Promise<string> {
  return h.emu.waitFor(() => {
    const t = summaryText(h, inc);
    return pred(t) ? t : undefined;
  }, { message: `pinned summary never showed ${what}` });
}

/** Messages the bot posted into the incident channel (summary excluded), as text. */
export function notices(h: Harness, inc: Declared): string[] {
  return h.emu.messages(inc.channel).filter((m) => m.ts !== inc.summaryTs && m.user === 'U0BOT').map((m) => m.text);
}

/** A clock the test moves forward by hand; real time still passes underneath so deliveries go on. Pass `clock` to startHarness. */
export function steppedClock(): { clock: () => number; advance: (ms: number) => void } {
  let offset = 0;
  return { clock: () => Date.now() + offset, advance: (ms) => { offset += ms; } };
}

/** Waits until the outbox has nothing pending or in flight. */
export async function drained(h: Harness): Promise<void> {
  await h.emu.waitFor(async () => {
    const s = await h.bot.queue.stats();
    return s.pending === 0 && s.inflight === 0;
  }, { message: 'outbox not drained' });
}
