/** Opens the bot's database for command-line tools, from DATABASE_URL alone (no Slack settings needed). */
import { databasePathFrom } from '../config.js';
import { openDatabase } from '../store/database.js';
import { SqliteStore } from '../store/sqlite-store.js';

/** The store named by DATABASE_URL (default file:./data/incidents.db). */
export function openStoreFromEnv(env: Record<string, string | undefined>): SqliteStore {
  const { sqlite, db } = openDatabase(databasePathFrom(env.DATABASE_URL?.trim() || 'file:./data/incidents.db'));
  return new SqliteStore(sqlite, db);
}
