/**
 * 2. Declaration end to end with every Web API call answered after 50 ms: from the slash command to the first message in
 * the new channel, and to everything done (invite, pin, topic, announcement), against the dependent-call floors.
 */
import type { CallRecord } from '../test/slack-emulator/index.js';
import { type BenchResult, type Row, verdict } from './lib/report.js';
import { startRig } from './lib/rig.js';
import { answeredAt, fmtMs, median, percentile } from './lib/stats.js';
import { sleep, until } from './lib/timeout.js';

const LATENCY_MS = 50;
const WARMUP = 2;
const RUNS = 20;
const TARGET = 1.3;

interface Sample { firstMessage: number; allDone: number; ack: number; toCreate: number; createToPost: number; postToPin: number }

const ok = (c: CallRecord) => c.status === 200 && c.response?.ok === true;

/** Runs the benchmark. */
export async function run(): Promise<BenchResult> {
  const started = performance.now();
  const rig = await startRig();
  try {
    const { emu, driver, announce } = rig;
    emu.setLatency(LATENCY_MS);
    const samples: Sample[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const from = emu.calls.length;
      const t0 = Date.now();
      const ack = driver.command(`declare sev2 Bench checkout latency ${i + 1}`, { userId: 'U0001' }).then((r) => ({ status: r.status, at: Date.now() }));
      const calls = () => emu.calls.slice(from);
      const created = await until(() => calls().find((c) => c.method === 'conversations.create' && ok(c)), 10_000, `declaration ${i + 1}: channel`);
      const channel = (created.response!.channel as { id: string }).id;
      const inChannel = (method: string) => calls().find((c) => c.method === method && c.args.channel === channel && ok(c));
      const done = await until(() => {
        const first = inChannel('chat.postMessage');
        const rest = [inChannel('conversations.invite'), inChannel('pins.add'), inChannel('conversations.setTopic'), calls().find((c) => c.method === 'chat.postMessage' && c.args.channel === announce && ok(c))];
        return first && rest.every(Boolean) ? { first, rest: rest as CallRecord[] } : null;
      }, 10_000, `declaration ${i + 1}: invite, pin, topic and announcement`);
      const a = await ack;
      if (a.status !== 200) throw new Error(`declaration ${i + 1}: the command answered HTTP ${a.status}`);
      const pin = done.rest[1]!;
      if (i >= WARMUP) {
        samples.push({
          firstMessage: answeredAt(done.first) - t0, allDone: Math.max(...done.rest.map(answeredAt), answeredAt(done.first)) - t0, ack: a.at - t0,
          toCreate: created.at - t0, createToPost: done.first.at - answeredAt(created), postToPin: pin.at - answeredAt(done.first),
        });
      }
      // Let the rest of the declaration settle (the declared-reply grace period is 2.5 s but makes no API call when the ack won).
      await sleep(100);
    }
    if (emu.violations.length > 0) throw new Error(`emulator violations: ${JSON.stringify(emu.violations.slice(0, 2))}`);

    const firstFloor = 2 * LATENCY_MS;
    const allFloor = 3 * LATENCY_MS;
    const first = samples.map((s) => s.firstMessage);
    const all = samples.map((s) => s.allDone);
    const rows: Row[] = [];
    const misses: string[] = [];
    const m1 = median(first);
    const m2 = median(all);
    rows.push({ metric: 'first message, median', value: fmtMs(m1), baseline: `2 calls × ${LATENCY_MS} = ${firstFloor} ms`, ratio: m1 / firstFloor, target: `≤ ${TARGET}×`, verdict: verdict(m1 / firstFloor <= TARGET) });
    rows.push({ metric: 'first message, p90', value: fmtMs(percentile(first, 90)), baseline: `${firstFloor} ms`, ratio: percentile(first, 90) / firstFloor, target: '', verdict: 'info' });
    rows.push({ metric: 'all done, median', value: fmtMs(m2), baseline: `3 calls × ${LATENCY_MS} = ${allFloor} ms`, ratio: m2 / allFloor, target: `≤ ${TARGET}×`, verdict: verdict(m2 / allFloor <= TARGET) });
    rows.push({ metric: 'all done vs first-message floor', value: fmtMs(m2), baseline: `${firstFloor} ms`, ratio: m2 / firstFloor, target: '', verdict: 'info' });
    rows.push({ metric: 'all done, p90', value: fmtMs(percentile(all, 90)), baseline: `${allFloor} ms`, ratio: percentile(all, 90) / allFloor, target: '', verdict: 'info' });
    if (m1 / firstFloor > TARGET) misses.push(`First message: median ${fmtMs(m1)} is ${(m1 / firstFloor).toFixed(2)}× the ${firstFloor} ms chain (target ≤ ${TARGET}×). ${MISS_REASON.first}`);
    if (m2 / allFloor > TARGET) misses.push(`All done: median ${fmtMs(m2)} is ${(m2 / allFloor).toFixed(2)}× the ${allFloor} ms chain (target ≤ ${TARGET}×). ${MISS_REASON.all}`);
    return {
      id: '2', title: 'Declaration end to end (50 ms API)', rows, misses, durationMs: performance.now() - started,
      method: [
        `Real bot in a child process; the emulator (in the parent) answers every Web API call after ${LATENCY_MS} ms (\`emu.setLatency(${LATENCY_MS})\`).`,
        `${RUNS} declarations (\`/incident declare sev2 …\`, after ${WARMUP} warm-up ones), one at a time, each timed from just before the signed slash command is sent.`,
        '"First message": when the emulator answered the first successful `chat.postMessage` into the new channel (the pinned summary). "All done": when the last of `conversations.invite`, `pins.add`, `conversations.setTopic` (new channel) and the announcement `chat.postMessage` (announce channel) was answered. Times come from the emulator\'s call records (arrival + handling, so the 50 ms are included).',
        `Floors: the dependent chain conversations.create → chat.postMessage = 2 × ${LATENCY_MS} ms for the first message; create → post → pins.add = 3 × ${LATENCY_MS} ms for all done (invite, topic and announcement only depend on create, so they fit inside it).`,
        `Where the time over the floor goes (medians): command sent → conversations.create arrives ${fmtMs(median(samples.map((s) => s.toCreate)))}; create answered → chat.postMessage arrives ${fmtMs(median(samples.map((s) => s.createToPost)))}; post answered → pins.add arrives ${fmtMs(median(samples.map((s) => s.postToPin)))} (clock resolution 1 ms).`,
        `The slash command's own ack (it waits for the channel so the reply can link it) took a median of ${fmtMs(median(samples.map((s) => s.ack)))}.`,
      ],
    };
  } finally {
    await rig.close();
  }
}

// Why, from the per-hop timings above.
const MISS_REASON = {
  first: 'Why: every dependent hop goes through the outbox: claim (a write transaction), deliver (reads, rendering, the Web API call through WebClient), complete (another write transaction that queues the next effects), kick, claim again; that is several ms per hop on this machine (see the per-hop medians), on top of handling the command before the first call. What would close it: let the worker that created the channel post the summary in the same turn (complete and continue instead of going back through claim), and render the summary while conversations.create is in flight.',
  all: 'Why: the pin is a third dependent hop (post_summary must complete and queue pin_summary before it can be claimed), so it pays the per-hop overhead three times. What would close it: pin from the same delivery that posted the summary, as soon as chat.postMessage returns the ts.',
};
