/** `npm run backup -- <file>`: a consistent copy of the live SQLite database (VACUUM INTO), safe while the bot runs. */
import 'dotenv/config';
import { backupDatabase } from '../store/database.js';
import { CliError, openStoreFromEnv, parseCliArgs, runCli } from './open-store.js';

const USAGE = `usage: npm run backup -- <backup-file.db>

Writes a consistent copy of the bot's SQLite database (safe while the bot runs).

  <backup-file.db>  where to write the copy; it must not exist yet (its folder is created)
  -h, --help        show this help

The database is the one DATABASE_URL names (environment or .env); it must exist.
PostgreSQL: use pg_dump instead.`;

runCli(async () => {
  const parsed = parseCliArgs({ args: process.argv.slice(2), allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } }, USAGE);
  if (!parsed) return;
  const [target, extra] = parsed.positionals;
  if (!target || extra !== undefined) {
    process.stderr.write(`${target ? `unexpected argument "${extra}".` : 'where should the backup go?'}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const opened = await openStoreFromEnv(process.env);
  try {
    if (!opened.sqlite) throw new CliError('DATABASE_URL names PostgreSQL; back it up with pg_dump (see README, "Running several replicas")');
    try {
      backupDatabase(opened.sqlite, target);
    } catch (err) {
      throw new CliError(`Backup failed: ${(err as Error).message}`);
    }
    process.stderr.write(`Backed up the database to ${target}\n`);
  } finally {
    await opened.close();
  }
});
