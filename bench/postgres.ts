/**
 * 7. PostgreSQL beside SQLite, in the same run: acknowledgement latency of `/incident log` and declaration time as
 * ratios PostgreSQL / SQLite, and commands per second with one PostgreSQL replica against three.
 */
import { BotProcess } from './lib/bot-process.js';
import { type BenchResult, type Row } from './lib/report.js';
import { declareAndWait, SIGNING_SECRET, startRig, type Rig } from './lib/rig.js';
import { SignedClient } from './lib/signed-client.js';
import { fmtMs, median, percentile } from './lib/stats.js';
import { runPool, until } from './lib/timeout.js';
import { postgresAvailable, startPostgres } from '../test/support/postgres.js';
import { BOT_TOKEN } from '../test/e2e/harness.js';
import { SlackEmulator } from '../test/slack-emulator/index.js';

const CONCURRENCY = 10;
const ROUNDS = 8;
const PER_ROUND = 150;
const DECLARATIONS = 8;
const THROUGHPUT_COMMANDS = 1500;
const THROUGHPUT_CONCURRENCY = 30;

/** Runs the benchmark. */
export async function run(): Promise<BenchResult> {
  const started = performance.now();
  if (!postgresAvailable) throw new Error('PostgreSQL binaries not installed (apt-get install postgresql)');
  const cluster = await startPostgres();
  const rows: Row[] = [];
  try {
    // A. Ack latency of `log`, SQLite and PostgreSQL bots side by side, rounds interleaved.
    const rigs: Record<'sqlite' | 'postgres', Rig> = {
      sqlite: await startRig(),
      postgres: await startRig({ databaseUrl: await cluster.createDatabase('bench_ack') }),
    };
    const lat: Record<'sqlite' | 'postgres', number[]> = { sqlite: [], postgres: [] };
    const decl: Record<'sqlite' | 'postgres', number[]> = { sqlite: [], postgres: [] };
    try {
      const targets = await Promise.all((['sqlite', 'postgres'] as const).map(async (name) => {
        const rig = rigs[name];
        const channel = await declareAndWait(rig, `Bench ${name}`);
        return { name, channel, client: new SignedClient(rig.proc.botUrl, SIGNING_SECRET, rig.emu.baseUrl, CONCURRENCY) };
      }));
      for (let r = 0; r < ROUNDS + 1; r++) {
        for (const t of r % 2 === 0 ? targets : [...targets].reverse()) {
          await runPool(PER_ROUND, CONCURRENCY, 60_000, async (i) => {
            const res = await t.client.command(`log bench ${r}.${i} restarted pods`, t.channel.id, t.channel.name);
            if (res.status !== 200) throw new Error(`${t.name}: log answered ${res.status}`);
            if (r > 0) lat[t.name].push(res.ms); // round 0 warms up
          });
        }
      }
      for (const t of targets) t.client.close();
      // B. Declaration: command sent → the last of invite, pin, topic, announcement answered.
      for (let i = 0; i < DECLARATIONS; i++) {
        for (const name of i % 2 === 0 ? ['sqlite', 'postgres'] as const : ['postgres', 'sqlite'] as const) {
          const rig = rigs[name];
          rig.emu.setLatency(20);
          const t0 = Date.now();
          const channel = await declareAndWait(rig, `Bench declaration ${name} ${i}`);
          await until(() => rig.emu.pins(channel.id).length === 1 && rig.emu.channel(channel.id)?.topic, 10_000, 'declaration done');
          decl[name].push(Date.now() - t0);
          rig.emu.setLatency(0);
        }
      }
    } finally {
      await rigs.sqlite.close();
      await rigs.postgres.close();
    }
    for (const p of [50, 99]) {
      const s = percentile(lat.sqlite, p);
      const g = percentile(lat.postgres, p);
      rows.push({ metric: `log ack p${p}, PostgreSQL`, value: fmtMs(g), baseline: `SQLite ${fmtMs(s)}`, ratio: g / s, target: '', verdict: 'info' });
    }
    const ds = median(decl.sqlite);
    const dg = median(decl.postgres);
    rows.push({ metric: 'declaration all done, median, PostgreSQL', value: fmtMs(dg), baseline: `SQLite ${fmtMs(ds)}`, ratio: dg / ds, target: '', verdict: 'info' });

    // C. Throughput: `log` commands per second, one replica vs three on the same database.
    const one = await throughput(await cluster.createDatabase('bench_one'), 1);
    const three = await throughput(await cluster.createDatabase('bench_three'), 3);
    rows.push({ metric: 'log commands/s, 3 replicas vs 1', value: `${three.toFixed(0)}/s`, baseline: `1 replica ${one.toFixed(0)}/s`, ratio: three / one, target: '', verdict: 'info' });
    return {
      id: '7', title: 'PostgreSQL beside SQLite', rows, misses: [], durationMs: performance.now() - started,
      method: [
        'A throwaway PostgreSQL 15 cluster on this machine (initdb in a temp folder, fsync off as for any test cluster, while the SQLite bots do sync their WAL), so the figures include no network hop to a database host: add your network round trip for each statement of a transaction.',
        `Ack latency: a SQLite bot and a PostgreSQL bot, each in its own child process, ${ROUNDS} interleaved rounds of ${PER_ROUND} \`/incident log\` commands at concurrency ${CONCURRENCY} after a warm-up round (${lat.sqlite.length} samples each).`,
        `Declaration: ${DECLARATIONS} declarations per store, alternating, Web API answering after 20 ms; from the command to the pinned summary and topic.`,
        `Throughput: ${THROUGHPUT_COMMANDS} \`log\` commands at concurrency ${THROUGHPUT_CONCURRENCY}, spread round-robin over 1 or 3 bot processes on one database; on a 2-core machine three replicas share the same two cores, so this shows the coordination cost, not the capacity gain of separate hosts.`,
      ],
    };
  } finally {
    await cluster.stop();
  }
}

/** Commands per second through `replicas` bot processes sharing one PostgreSQL database. */
async function throughput(databaseUrl: string, replicas: number): Promise<number> {
  const emu = new SlackEmulator();
  await emu.start();
  const announce = emu.createChannel('incidents', { members: ['U0BOT'] }).id;
  const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emu.apiUrl, ANNOUNCE_CHANNEL: announce };
  const procs: BotProcess[] = [];
  const clients: SignedClient[] = [];
  try {
    for (let i = 0; i < replicas; i++) procs.push(await BotProcess.start({ env, databaseUrl }));
    const rig = { emu, driver: new (await import('../test/slack-emulator/index.js')).SlackDriver({ botUrl: procs[0]!.botUrl, signingSecret: SIGNING_SECRET, emulator: emu }) } as unknown as Rig;
    const channel = await declareAndWait(rig, 'Bench throughput');
    await until(() => emu.pins(channel.id).length === 1, 10_000, 'summary pinned');
    clients.push(...procs.map((p) => new SignedClient(p.botUrl, SIGNING_SECRET, emu.baseUrl, THROUGHPUT_CONCURRENCY)));
    const t0 = performance.now();
    await runPool(THROUGHPUT_COMMANDS, THROUGHPUT_CONCURRENCY, 120_000, async (i) => {
      const res = await clients[i % clients.length]!.command(`log throughput ${i}`, channel.id, channel.name);
      if (res.status !== 200) throw new Error(`log answered ${res.status}`);
    });
    return THROUGHPUT_COMMANDS / ((performance.now() - t0) / 1000);
  } finally {
    for (const c of clients) c.close();
    for (const p of procs) await p.stop();
    await emu.stop();
  }
}
