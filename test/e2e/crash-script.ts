/**
 * The scripted incident of the crash-point sweep (issue 12): declare SEV2, three roles, five logs, one reaction, an update,
 * a severity change, two actions, resolve, postmortem; run by the real bot process against the Slack emulator, optionally
 * killed with kill -9 at chosen Slack calls (after Slack applied the call, before the bot read the answer) or at chosen
 * instants, restarted on the same database, and summed up as a comparable final state.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SlackDriver, SlackEmulator } from '../slack-emulator/index.js';
import { type BotProcess, spawnBot as spawnBotWithin } from './bot-process.js';
import { CrashProxy } from './crash-proxy.js';
import { e2eDatabaseUrl } from '../support/e2e-store.js';
import { BOT_TOKEN, SIGNING_SECRET, freePort } from './harness.js';

/** Where to kill the bot in one run. */
export interface Kills {
  /** Kill when Slack has answered the call with this index (0-based, counted from the first scripted step). */
  atCalls?: number[];
  /** Kill this many ms after the script started (random-instant variant). */
  atMs?: number[];
}

/** What a run left behind, normalised so that runs compare: database rows and what Slack shows. */
export interface FinalState {
  db: Record<string, unknown[]>;
  slack: Record<string, unknown>;
  /** Rows the outbox never finished (must be empty). */
  stuck: unknown[];
}

/** The outcome of one run. */
export interface RunResult {
  state: FinalState;
  /** Methods of the Slack calls made during the script, in answer order. */
  calls: string[];
  kills: number;
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// A minute to start: the soak and the sweep restart the bot dozens of times on a busy machine.
const spawnBot = (env: Record<string, string>) => spawnBotWithin(env, 60_000);

/** Removes what legitimately differs between runs: times, ids, timestamps. */
export function normalise(text: string): string {
  return text
    .replace(/<!date\^\d+\^[^>|]*(\|[^>]*)?>/g, '<date>')
    .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?\b/g, '<time>')
    .replace(/\b\d{9,}(\.\d+)?\b/g, '<n>')
    .replace(/\b[CDG][0-9A-Z]{8,}\b/g, '<channel>')
    .replace(/\b(just now|\d+ ?(s|sec|seconds?|m|min|minutes?|h|hours?) ago)\b/g, '<ago>')
    .replace(/\bp\d{16}\b/g, '<p>')
    .replace(/,?\\?"block_id\\?":\\?"[^"\\]*\\?"/g, '');
}

const textOf = (m: { text?: string; blocks?: unknown }) => normalise(`${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`);

/**
 * Runs read-only SQL on the bot's database from outside the (possibly dead) process: a SQLite `file:` URL or a
 * PostgreSQL one. Write SQL both dialects share; one run compares only with runs on the same store.
 */
async function readRows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  if (url.startsWith('file:')) {
    const db = new Database(url.slice('file:'.length), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Reads the final state from the bot's database and the emulator. */
async function snapshot(databaseUrl: string, emu: SlackEmulator, announce: string): Promise<FinalState> {
  const all = async (sql: string) => (await readRows(databaseUrl, sql)).map((r) => JSON.parse(normalise(JSON.stringify(r))) as unknown);
  const state: FinalState = {
    db: {
      incidents: await all(`SELECT id, title, severity, status, summary, channel_name, resolution, missed_updates, summary_ts IS NOT NULL AS has_summary FROM incidents ORDER BY id`),
      roles: await all(`SELECT incident_id, role, user_id, assigned_by, ended_at IS NULL AS current FROM role_assignments ORDER BY id`),
      timeline: await all(`SELECT incident_id, kind, actor, text, source_ts IS NOT NULL AS from_slack, permalink IS NOT NULL AS has_link FROM timeline_entries ORDER BY kind, text, actor`),
      updates: await all(`SELECT incident_id, author, status, severity, text FROM status_updates ORDER BY id`),
      severity: await all(`SELECT incident_id, from_severity, to_severity, "by" FROM severity_changes ORDER BY id`),
      actions: await all(`SELECT incident_id, seq, text, owner, status FROM action_items ORDER BY seq`),
    },
    slack: {},
    stuck: await readRows(databaseUrl, `SELECT key, state, last_error FROM outbox WHERE state IN ('pending', 'inflight', 'dead')`),
  };
  const channels = emu.channels.filter((c) => !c.is_im).sort((a, b) => a.name.localeCompare(b.name));
  state.slack.channels = channels.map((c) => ({ name: c.name, archived: !!c.is_archived, topic: normalise(c.topic ?? ''), members: [...c.members].sort() }));
  for (const c of channels) {
    if (c.id !== announce && !c.name.startsWith('inc-')) continue;
    state.slack[`messages #${c.name}`] = emu.messages(c.id).map(textOf).sort();
    state.slack[`pins #${c.name}`] = emu.pins(c.id).map(textOf).sort();
  }
  state.slack.files = emu.files.filter((f) => f.completed).map((f) => f.name).sort();
  for (const u of ['U0001', 'U0002', 'U0003', 'U0004']) state.slack[`dms ${u}`] = emu.dmsTo(u).map(textOf).sort();
  return state;
}

/** Runs the scripted incident once, killing the bot where `kills` says. */
export async function runScriptedIncident(kills: Kills = {}): Promise<RunResult> {
  const started = performance.now();
  const emu = new SlackEmulator();
  await emu.start();
  const announce = emu.createChannel('incidents', { members: ['U0BOT'] }).id;
  const proxy = new CrashProxy(emu.baseUrl);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-sweep-'));
  // The e2e-postgres project runs it on a fresh PostgreSQL database; otherwise (and in `npm run soak`) a SQLite file.
  const databaseUrl = (await e2eDatabaseUrl()) ?? `file:${path.join(dir, 'bot.db')}`;
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: await proxy.start(), PORT: String(await freePort()),
    DATABASE_URL: databaseUrl, ANNOUNCE_CHANNEL: announce, LOG_LEVEL: 'warn',
    // On PostgreSQL a restarted process takes over the killed one's claims when their lease runs out (SQLite's one
    // process reclaims them at start): short, so a run does not wait out the 30 s default.
    OUTBOX_LEASE: '2s',
    // No reminders: the final state must not depend on how long a run took.
    UPDATE_CADENCE: 'SEV1=off,SEV2=off,SEV3=off,SEV4=off', POSTMORTEM_DUE: 'off',
  };
  let bot: BotProcess = await spawnBot(env);
  let restarting: Promise<void> | null = null;
  let killCount = 0;
  const killAndRestart = (): Promise<void> => {
    if (!restarting) {
      killCount++;
      const dying = bot;
      restarting = dying.kill9().then(async () => {
        bot = await spawnBot(env);
        restarting = null;
      });
    }
    return restarting;
  };
  const atCalls = new Set(kills.atCalls ?? []);
  proxy.hook = async (index) => {
    if (!atCalls.has(index)) return 'forward';
    atCalls.delete(index);
    const dying = bot;
    void killAndRestart();
    await dying.kill9(); // dead before the answer could reach it
    return 'drop';
  };
  // A second kill due while the bot is still restarting from the first waits for the new process, then kills it.
  const killLater = async () => {
    while (restarting) await restarting;
    await killAndRestart();
  };
  const timers = (kills.atMs ?? []).map((ms) => setTimeout(() => void killLater(), ms));
  proxy.arm();
  const t0 = performance.now();
  const driver = new SlackDriver({ botUrl: bot.url, signingSecret: SIGNING_SECRET, emulator: emu });

  /** Waits until the bot is up and its outbox is empty, restarting it when it was killed. */
  const settle = async () => {
    const deadline = Date.now() + 60_000;
    let quietSince = 0;
    while (Date.now() < deadline) {
      if (restarting) { await restarting; quietSince = 0; continue; }
      try {
        const h = await (await fetch(`${bot.url}/healthz`, { signal: AbortSignal.timeout(2000) })).json() as { outbox: { pending: number; inflight: number } };
        if (h.outbox.pending === 0 && h.outbox.inflight === 0) {
          quietSince ||= Date.now();
          if (Date.now() - quietSince >= 150) return;
        } else quietSince = 0;
      } catch {
        quietSince = 0;
      }
      await sleep(30);
    }
    throw new Error(`the outbox never drained:\n${bot.output().slice(-3000)}`);
  };
  /** Whether a step's change is in the database (then a step whose answer was lost is not sent again, as a person would check). */
  const committed = async (sql: string): Promise<boolean> => Number((await readRows(databaseUrl, sql))[0]?.n ?? 0) > 0;
  /** Sends one step; when the bot died before answering, sends it again after the restart unless it was saved. */
  const step = async (send: () => Promise<{ status: number }>, savedSql?: string) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (restarting) await restarting;
      const res = await send().catch(() => ({ status: 0 }));
      if (res.status === 200) return settle();
      await sleep(100);
      if (restarting) await restarting;
      if (savedSql && await committed(savedSql)) return settle();
    }
    throw new Error('a step was never acknowledged');
  };

  try {
    await step(() => driver.command('declare sev2 Checkout errors after deploy', { userId: 'U0001' }), `SELECT count(*) AS n FROM incidents`);
    const channel = (await emu.waitFor(() => emu.channels.find((c) => c.name.startsWith('inc-1-')), { message: 'no incident channel' })).id;
    const q = (text: string) => text.replace(/'/g, "''");
    const say = (text: string, userId: string, savedSql: string) => step(() => driver.command(text, { userId, channelId: channel }), savedSql);
    for (const [role, user] of [['ic', 'U0002'], ['tech', 'U0003'], ['comms', 'U0004']] as const) {
      await say(`role ${role} <@${user}>`, 'U0001', `SELECT count(*) AS n FROM role_assignments WHERE role = '${role}'`);
    }
    for (let i = 1; i <= 5; i++) await say(`log note ${i}: checked shard ${i}`, 'U0002', `SELECT count(*) AS n FROM timeline_entries WHERE text = 'note ${i}: checked shard ${i}'`);
    const msg = emu.postAsUser(channel, 'U0003', 'Error rate falling after the rollback');
    // Slack re-delivers an unanswered event with the same id.
    await step(() => driver.event({ type: 'reaction_added', user: 'U0002', reaction: 'pushpin', item: { type: 'message', channel, ts: msg.ts }, item_user: 'U0003' }, { eventId: 'EvSWEEPREACTION' }));
    await say('update Rolled back build 42; watching error rates', 'U0004', `SELECT count(*) AS n FROM status_updates`);
    await say('severity sev1', 'U0002', `SELECT count(*) AS n FROM severity_changes`);
    for (const text of ['Add a canary stage to checkout deploys <@U0003>', 'Alert on checkout 5xx rate']) {
      await say(`action ${text}`, 'U0002', `SELECT count(*) AS n FROM action_items WHERE text = '${q(text.replace(' <@U0003>', ''))}'`);
    }
    await say('resolve Rolled back the bad deploy', 'U0002', `SELECT count(*) AS n FROM incidents WHERE status = 'resolved'`);
    await say('postmortem', 'U0002', `SELECT count(*) AS n FROM outbox WHERE key LIKE 'upload_postmortem%' OR CAST(effect AS TEXT) LIKE '%upload_postmortem%'`);
    // A kill planned for after the last step still counts: wait for its restart and the final drain.
    for (const t of timers) clearTimeout(t);
    await settle();
    return { state: await snapshot(databaseUrl, emu, announce), calls: [...proxy.calls], kills: killCount, ms: performance.now() - t0 };
  } finally {
    for (const t of timers) clearTimeout(t);
    if (restarting) await (restarting as Promise<void>).catch(() => undefined);
    await bot.stop().catch(() => undefined);
    await proxy.stop();
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    void started;
  }
}

/** Items of `crashed` missing from or repeated beyond `clean`, per key, for a readable verdict. */
export function differences(clean: FinalState, crashed: FinalState): { lost: string[]; duplicated: string[]; other: string[] } {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const other: string[] = [];
  const compare = (where: string, a: unknown, b: unknown) => {
    if (Array.isArray(a) && Array.isArray(b)) {
      const count = (xs: unknown[]) => xs.reduce<Map<string, number>>((m, x) => m.set(JSON.stringify(x), (m.get(JSON.stringify(x)) ?? 0) + 1), new Map());
      const ca = count(a);
      const cb = count(b);
      for (const [k, n] of ca) if ((cb.get(k) ?? 0) < n) lost.push(`${where}: ${k.slice(0, 200)}`);
      for (const [k, n] of cb) if (n > (ca.get(k) ?? 0)) duplicated.push(`${where}: ${k.slice(0, 200)}`);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) other.push(`${where}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`);
  };
  for (const k of new Set([...Object.keys(clean.db), ...Object.keys(crashed.db)])) compare(`db.${k}`, clean.db[k], crashed.db[k]);
  for (const k of new Set([...Object.keys(clean.slack), ...Object.keys(crashed.slack)])) compare(`slack.${k}`, clean.slack[k], crashed.slack[k]);
  if (crashed.stuck.length) other.push(`stuck outbox rows: ${JSON.stringify(crashed.stuck).slice(0, 500)}`);
  return { lost, duplicated, other };
}
