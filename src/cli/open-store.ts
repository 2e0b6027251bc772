/** Opens the bot's existing database for command-line tools, from DATABASE_URL alone (no Slack settings needed); never creates one. */
import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { databasePathFrom, unsupportedDatabaseUrl } from '../config.js';
import { isPostgresUrl } from '../store/postgres/database.js';
import { openStore, type OpenedStore } from '../store/open-store.js';

/** A mistake the person running a CLI can fix: printed as one line, exit code 1. */
export class CliError extends Error {}

/** The store named by DATABASE_URL (default file:./data/incidents.db), migrated and ready; a SQLite file that does not exist is refused. */
export async function openStoreFromEnv(env: Record<string, string | undefined>): Promise<OpenedStore> {
  const url = env.DATABASE_URL?.trim() || 'file:./data/incidents.db';
  const unsupported = unsupportedDatabaseUrl(url);
  if (unsupported) throw new CliError(unsupported);
  if (!isPostgresUrl(url)) {
    const file = databasePathFrom(url);
    // A mistyped DATABASE_URL must not quietly create (and report on) an empty database.
    if (file === ':memory:' || !fs.existsSync(file)) throw new CliError(`There is no database at ${file} (DATABASE_URL=${url}). Set DATABASE_URL to the bot's database, e.g. file:./data/incidents.db; this tool never creates one.`);
    if (!fs.statSync(file).isFile()) throw new CliError(`${file} is not a database file (DATABASE_URL=${url}). Set DATABASE_URL to the bot's database file, e.g. file:./data/incidents.db.`);
  }
  let opened: OpenedStore;
  try {
    opened = openStore(url, { startupWaitMs: 5000 });
    await opened.ready();
  } catch (err) {
    throw new CliError(`Cannot open the database named by DATABASE_URL (${(err as Error).message.split('\n')[0]}).`);
  }
  return opened;
}

/** Runs a CLI's main: a CliError or any other failure is one line on stderr and exit code 1, never a stack trace. */
export function runCli(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}

/** Parses a CLI's arguments with node:util's parseArgs; on `--help` prints the usage, on a mistake says it with the usage (exit code 2), and returns null in both cases. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> | null {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    process.exitCode = 2;
    return null;
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    return null;
  }
  return parsed;
}
