/**
 * 1. Acknowledgement latency of `/incident help` and `/incident log <text>` at concurrency 10, against a bare Bolt app
 * (same HTTPReceiver, same signature check, a `/incident` listener that only acks) on the same emulator, interleaved.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Deps } from '../src/app/context.js';
import { logEntry } from '../src/app/log-event.js';
import { DEFAULT_CADENCE } from '../src/domain/cadence.js';
import { openDatabase } from '../src/store/database.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { type BenchResult, type Row, verdict } from './lib/report.js';
import { declareAndWait, SIGNING_SECRET, startRig } from './lib/rig.js';
import { SignedClient } from './lib/signed-client.js';
import { fmtMs, percentile } from './lib/stats.js';
import { runPool } from './lib/timeout.js';

const CONCURRENCY = 10;
const ROUNDS = 48;
const PER_ROUND = 100;
const WARMUP = 300;
const TARGET = 1.2;

interface Target {
  name: 'bare' | 'help' | 'log';
  client: SignedClient;
  text: (i: number) => string;
  channelId: string;
  channelName: string;
}

/** Runs the benchmark. */
export async function run(): Promise<BenchResult> {
  const started = performance.now();
  const rig = await startRig({ bare: true });
  const clients: SignedClient[] = [];
  try {
    const channel = await declareAndWait(rig, 'Bench ack latency target');
    const bot = new SignedClient(rig.proc.botUrl, SIGNING_SECRET, rig.emu.baseUrl, CONCURRENCY);
    const bare = new SignedClient(rig.bare!.bareUrl!, SIGNING_SECRET, rig.emu.baseUrl, CONCURRENCY);
    clients.push(bot, bare);
    const targets: Target[] = [
      { name: 'bare', client: bare, text: () => 'help', channelId: 'C_GENERAL', channelName: 'general' },
      { name: 'help', client: bot, text: () => 'help', channelId: 'C_GENERAL', channelName: 'general' },
      { name: 'log', client: bot, text: (i) => `log Restarted checkout-api pods in eu-west-1 (batch ${i}); error rate dropping, <@U0002> watching`, channelId: channel.id, channelName: channel.name },
    ];
    const samples: Record<Target['name'], number[]> = { bare: [], help: [], log: [] };
    const byRound: Record<Target['name'], number[]>[] = [];
    let failures = 0;
    const phase = async (t: Target, n: number, into: number[] | null): Promise<number[]> => {
      const local: number[] = [];
      await runPool(n, CONCURRENCY, 60_000, async (i) => {
        const res = await t.client.command(t.text(i), t.channelId, t.channelName);
        if (res.status !== 200) failures++;
        local.push(res.ms);
      });
      into?.push(...local);
      return local;
    };
    for (const t of targets) await phase(t, WARMUP, null);
    const orders = permutations(targets);
    for (let r = 0; r < ROUNDS; r++) {
      // Every order in turn, so each target runs first, last and after each other one equally often.
      const round = { bare: [], help: [], log: [] } as Record<Target['name'], number[]>;
      for (const t of orders[r % orders.length]!) round[t.name] = await phase(t, PER_ROUND, samples[t.name]);
      byRound.push(round);
    }
    if (failures > 0) throw new Error(`${failures} requests were not answered 200`);

    // Stability check: the same p99 ratio on the even and on the odd rounds alone.
    const half = (parity: number, name: Target['name']) => byRound.filter((_, i) => i % 2 === parity).flatMap((r) => r[name]);
    const halves = (name: 'help' | 'log') => `${[0, 1].map((p) => (percentile(half(p, name), 99) / percentile(half(p, 'bare'), 99)).toFixed(2)).join('× / ')}×`;
    const store = await storeWorkPerLog();
    const rows: Row[] = [];
    const misses: string[] = [];
    const bare50 = percentile(samples.bare, 50);
    const bare99 = percentile(samples.bare, 99);
    for (const name of ['help', 'log'] as const) {
      const p50 = percentile(samples[name], 50);
      const p99 = percentile(samples[name], 99);
      const ratio99 = p99 / bare99;
      rows.push({ metric: `${name} ack p50`, value: fmtMs(p50), baseline: `bare ${fmtMs(bare50)}`, ratio: p50 / bare50, target: '', verdict: 'info' });
      rows.push({ metric: `${name} ack p99`, value: fmtMs(p99), baseline: `bare ${fmtMs(bare99)}`, ratio: ratio99, target: `≤ ${TARGET}× bare`, verdict: verdict(ratio99 <= TARGET) });
      rows.push({ metric: `${name} p99 ratio, even / odd rounds`, value: halves(name), baseline: '', ratio: null, target: '', verdict: 'info' });
      if (ratio99 > TARGET) misses.push(missNote(name, ratio99, p50 - bare50, p99 - bare99));
    }
    return {
      id: '1', title: 'Ack latency (c=10)', rows, misses, durationMs: performance.now() - started,
      method: [
        `Real bot in a child process (\`createBot\` + \`loadConfig\`, HTTP mode); the bare Bolt app (HTTPReceiver, same signing secret, \`/incident\` that only calls \`ack()\`) in a second child started the same way (both bundled with esbuild and run by plain \`node --enable-source-maps\`, as \`npm start\` runs the bot); the Slack emulator and the load generator in the parent.`,
        `Closed loop at concurrency ${CONCURRENCY} over keep-alive HTTP; each request is a freshly signed slash-command form, timed from the request write to the last byte of the answer.`,
        `${WARMUP} warm-up requests per target, then ${ROUNDS} interleaved rounds of ${PER_ROUND} requests per target (bare, help, log, cycling through all six orders): ${samples.bare.length} samples per target; percentiles over all of them.`,
        '`help` is typed in #general; `log` in a real incident channel declared through the bot (so it does the channel lookup and a timeline insert in a write transaction).',
        `Stability: the p99 ratio computed on the even / odd rounds alone is ${halves('help')} for help and ${halves('log')} for log (where the two halves disagree, the p99 verdict can flip from run to run on this machine); bare p90 ${fmtMs(percentile(samples.bare, 90))}, help p90 ${fmtMs(percentile(samples.help, 90))}, log p90 ${fmtMs(percentile(samples.log, 90))}.`,
        `Diagnostic, in the benchmark process on a temp database, one call at a time: the store work of one \`log\` (\`byChannel\` + \`logEntry\`, one write transaction) takes a median ${fmtMs(store.p50)} (p99 ${fmtMs(store.p99)}); transactions are serialized (one SQLite writer), so at concurrency 10 requests queue behind each other's.`,
      ],
    };
  } finally {
    for (const c of clients) c.close();
    await rig.close();
  }
}

/** Median and p99 of the store work behind one `/incident log` (channel lookup + timeline write), in process. */
async function storeWorkPerLog(): Promise<{ p50: number; p99: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-bench-log-'));
  const { sqlite, db } = openDatabase(path.join(dir, 'incidents.db'));
  try {
    const store = new SqliteStore(sqlite, db);
    const deps: Deps = { store, clock: Date.now, policy: { cadence: { ...DEFAULT_CADENCE }, escalateAfterMissed: 2, postmortemDueMs: null, hasAnnounceChannel: false } };
    const inc = await store.transaction((tx) => tx.incidents.create({ title: 'Bench', severity: 'SEV3', summary: '', services: [], declaredBy: 'U0001', declaredAt: Date.now(), nextUpdateDueAt: null }));
    await store.transaction((tx) => tx.incidents.update(inc.id, { channelId: 'C0BENCH' }, Date.now()));
    const times: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = performance.now();
      const found = await store.incidents.byChannel('C0BENCH');
      await logEntry(deps, found!.id, `Restarted checkout-api pods in eu-west-1 (batch ${i}); error rate dropping, <@U0002> watching`, 'U0001');
      if (i >= 500) times.push(performance.now() - t);
    }
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  } finally {
    sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

function missNote(name: 'help' | 'log', ratio: number, d50: number, d99: number): string {
  return `${name} ack p99 is ${ratio.toFixed(2)}× the bare app's (target ≤ ${TARGET}×); the bot adds ${fmtMs(d50)} at p50 and ${fmtMs(d99)} at p99 over the bare listener. ` + MISS_REASON[name];
}

// Why, from CPU profiles of the bot under this load and from runs with SQLite settings changed (see the report).
const MISS_REASON: Record<'help' | 'log', string> = {
  help: 'Why: what is left is mostly Bolt\'s own per-request work, which the bare app shares: the bot registers 5 listeners (one per kind: command, block actions, views, shortcuts, events, each routing on its id inside) against the bare app\'s 1, and Bolt copies the request\'s arguments for every middleware of every chain; the bot also parses the command, answers with a 1.8 KB Block Kit reply instead of an empty body and updates two Prometheus metrics. In a CPU profile of this load no function of the bot stands out any more (Bolt\'s middleware runner, socket writes and the signature HMAC lead), and at p99 the gap is mostly this machine\'s scheduling noise (see the even/odd split). What would close it further: very little short of bypassing Bolt\'s dispatch for slash commands.',
  log: 'Why: each `log` is a durable SQLite write. Its store work is now small (see the diagnostic: statements are prepared once), but about every 300 inserts SQLite\'s automatic WAL checkpoint runs inside the committing transaction, on the event loop, and syncs the WAL and the database file to disk (4–14 ms each on this machine), stalling all ten requests in flight: that is most of the p99 gap. Development runs with automatic checkpoints turned off (`wal_autocheckpoint = 0`, an experiment only: the WAL would then grow without bound) measured log p99 at 1.14–1.21× bare. What would close it: checkpoint from another thread (a worker with its own connection running `PRAGMA wal_checkpoint(PASSIVE)` on a timer while the main connection\'s automatic checkpoint is off), so that no disk sync runs on the event loop; that costs a thread and its memory, and needs its own lifecycle and a fallback to automatic checkpoints if it stops.',
};
