import fs from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Every end-to-end file that involves the store runs a second time with the bot on PostgreSQL (project `e2e-postgres`:
 * one throwaway cluster per run, a fresh database per harness). Such files read state through the store's ports
 * (h.bot.store…), or through test/support/e2e-store.ts for what no port shows (outbox rows, table sizes), never
 * SQLite directly, so they run unchanged on both stores.
 * Left to the SQLite run, by rule:
 * - transport and start-up only, where the store is incidental: odd-requests, signatures, startup-refusals, npm-start,
 *   docker-replay, socket-mode-process, metrics, health-recovers (Slack circuits), cli (backup/restore of a SQLite file);
 * - about the SQLite file itself: health-truth (the file moved or deleted), locked-database (another process's lock);
 * - replicas.test.ts starts its own PostgreSQL.
 * crash-sweep runs on both, with every 12th crash point on PostgreSQL (every 6th on SQLite; CRASH_SWEEP_STRIDE sets both).
 * load runs on both: a log entry locks its incident's row FOR SHARE only (IncidentRepo.getShared), so 500 entries on one
 * incident no longer queue behind each other's commits.
 */
const E2E_ON_POSTGRES = [
  'declare', 'declare-ack', 'working-incident', 'timeline', 'reminders', 'reminder-restart', 'summary-buttons',
  'severity-changes', 'action-reminders', 'people', 'postmortem', 'home', 'outage-catch-up', 'alerts', 'database-settings',
  'alerts-socket-mode', 'channel-adoption', 'channel-refused', 'github-followups', 'statuspage', 'paging', 'typed-text',
  'slow-slack', 'logs', 'modal-idempotent', 'reliability', 'reliability-outage', 'security', 'socket-mode',
  'crash-restart', 'crash-inbox', 'load', 'crash-sweep',
].map((f) => `test/e2e/${f}.test.ts`);

const pgBin = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const havePostgres = fs.existsSync(`${pgBin}/initdb`);
if (!havePostgres) {
  process.stderr.write(`\n!!! PostgreSQL binaries not found in ${pgBin}: the end-to-end run on PostgreSQL is SKIPPED (apt-get install postgresql) !!!\n\n`);
}

/**
 * Files that assert an acknowledgement within Slack's 3 s while the bot is under load (500 requests at once, a locked
 * database, an outage backlog) run alone, after everything else: beside other files on 2 cores they would measure the
 * machine, not the bot.
 */
const ALONE = ['load', 'locked-database', 'reliability-outage'].map((f) => `test/e2e/${f}.test.ts`);

/**
 * Most files wait (on sockets, child processes, PostgreSQL, timers) far more than they compute, so 4 forks keep 2 cores
 * busy (VITEST_MAX_WORKERS overrides it). Files share their fork's module cache (isolate: false): each file starts its
 * own bots, emulators and databases and leaves no state behind, and importing Bolt, drizzle and pino once per fork
 * instead of once per file took most of the suite's CPU.
 */
const shared = { testTimeout: 30_000, hookTimeout: 30_000, pool: 'forks' as const, isolate: false };
const onPostgres = { env: { E2E_STORE: 'postgres' }, globalSetup: ['test/support/pg-global-setup.ts'] };

export default defineConfig({
  test: {
    maxWorkers: 4,
    projects: [
      { test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ALONE], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'sqlite-alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
      ...(havePostgres ? [
        { test: { ...shared, ...onPostgres, name: 'e2e-postgres', include: E2E_ON_POSTGRES.filter((f) => !ALONE.includes(f)), sequence: { groupOrder: 0 } } },
        { test: { ...shared, ...onPostgres, name: 'e2e-postgres-alone', include: E2E_ON_POSTGRES.filter((f) => ALONE.includes(f)), fileParallelism: false, sequence: { groupOrder: 2 } } },
      ] : []),
    ],
  },
});
