/** `npm run db:copy -- --from file:./data/incidents.db --to postgres://…`: moves a SQLite deployment to PostgreSQL without losing history. */
import fs from 'node:fs';
import { databasePathFrom } from '../config.js';
import { copySqliteToPostgres } from '../store/copy.js';
import { openStore } from '../store/open-store.js';
import { isPostgresUrl } from '../store/postgres/database.js';
import { CliError, parseCliArgs, runCli } from './open-store.js';

const USAGE = `usage: npm run db:copy -- --from file:./data/incidents.db --to postgres://user:password@host:5432/db

Copies everything from the bot's SQLite database into an empty PostgreSQL database: incidents, timeline,
roles, updates, severity changes, actions, reminders, pending outbox, request keys and people, with their
ids. Stop the bot first. Refuses a target that already holds incidents; checks every table's row count.

  --from <url>   the SQLite database (file:… or a path); it must exist
  --to <url>     the PostgreSQL database (postgres://… or postgresql://…); its schema is created
  -h, --help     show this help`;

runCli(async () => {
  const parsed = parseCliArgs({ args: process.argv.slice(2), options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }, USAGE);
  if (!parsed) return;
  const { from, to } = parsed.values;
  if (!from || !to) {
    process.stderr.write(`both --from and --to are needed.\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (isPostgresUrl(from)) throw new CliError('--from must be the SQLite database (file:./data/incidents.db), not PostgreSQL');
  if (!isPostgresUrl(to)) throw new CliError('--to must be a PostgreSQL URL, e.g. postgres://user:password@host:5432/db');
  const file = databasePathFrom(from);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`There is no SQLite database at ${file}; nothing to copy.`);
  const source = openStore(from);
  const target = openStore(to, { startupWaitMs: 5000 });
  try {
    await target.ready();
    const report = await copySqliteToPostgres(source, target).catch((err: Error) => { throw new CliError(`Copy failed, nothing was written to the target: ${err.message}`); });
    for (const r of report) process.stderr.write(`  ${r.table.padEnd(18)} ${r.rows} rows\n`);
    process.stderr.write(`Copied ${report.reduce((n, r) => n + r.rows, 0)} rows; row counts match. Point DATABASE_URL at the PostgreSQL database and start the bot.\n`);
  } finally {
    await source.close();
    await target.close();
  }
});
