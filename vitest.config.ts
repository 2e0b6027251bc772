import fs from 'node:fs';
import { defineConfig } from 'vitest/config';

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

const shared = { testTimeout: 30_000, hookTimeout: 30_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'] } },
      ...(havePostgres ? [{
        test: {
          ...shared, name: 'e2e-postgres', include: E2E_ON_POSTGRES,
          env: { E2E_STORE: 'postgres' }, globalSetup: ['test/support/pg-global-setup.ts'],
        },
      }] : []),
    ],
  },
});
