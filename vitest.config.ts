import fs from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * The end-to-end files that exercise the store (declaring, working an incident, timeline, reminders, catch-up after an outage, alerts in, restarts,
 * postmortem, people) run a second time with the bot on PostgreSQL. Files about transport, signatures, Slack
 * outages and start-up refusals do not touch the store differently and are left to the SQLite run; so are those
 * that read SQLite directly (reliability, security, load). test/e2e/replicas.test.ts runs PostgreSQL itself.
 */
const E2E_ON_POSTGRES = [
  'declare', 'declare-ack', 'working-incident', 'timeline', 'reminders', 'reminder-restart', 'summary-buttons',
  'severity-changes', 'action-reminders', 'people', 'postmortem', 'home', 'outage-catch-up', 'alerts', 'database-settings',
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
