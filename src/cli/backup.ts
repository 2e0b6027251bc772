/** `npm run backup -- <file>`: a consistent copy of the live SQLite database (VACUUM INTO), safe while the bot runs. */
import 'dotenv/config';
import { backupDatabase } from '../store/database.js';
import { openStoreFromEnv } from './open-store.js';

const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: npm run backup -- <backup-file.db>   (the file must not exist yet)\n');
  process.exit(2);
}
const opened = await openStoreFromEnv(process.env);
try {
  if (!opened.sqlite) throw new Error('DATABASE_URL names PostgreSQL; back it up with pg_dump (see README, "Running several replicas")');
  backupDatabase(opened.sqlite, target);
  process.stderr.write(`Backed up the database to ${target}\n`);
} catch (err) {
  process.stderr.write(`Backup failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await opened.close();
}
