/** Opens the bot's database for command-line tools, from DATABASE_URL alone (no Slack settings needed). */
import { openStore, type OpenedStore } from '../store/open-store.js';

/** The store named by DATABASE_URL (default file:./data/incidents.db), migrated and ready. */
export async function openStoreFromEnv(env: Record<string, string | undefined>): Promise<OpenedStore> {
  const opened = openStore(env.DATABASE_URL?.trim() || 'file:./data/incidents.db', { startupWaitMs: 5000 });
  await opened.ready();
  return opened;
}
