/** `npm run backup -- <file>`: a consistent copy of the live database (VACUUM INTO), safe while the bot runs. */
import 'dotenv/config';
import { backupDatabase } from '../store/database.js';
import { openStoreFromEnv } from './open-store.js';

const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: npm run backup -- <backup-file.db>   (the file must not exist yet)\n');
  process.exit(2);
}
const store = openStoreFromEnv(process.env);
try {
  backupDatabase(store.sqlite, target);
  process.stderr.write(`Backed up the database to ${target}\n`);
} catch (err) {
  process.stderr.write(`Backup failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  store.sqlite.close();
}
