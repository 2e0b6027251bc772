/** Opens the SQLite database the way a serious deployment needs it (WAL, busy timeout, foreign keys) and applies migrations. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

/** The drizzle handle over our schema. */
export type Db = BetterSQLite3Database<typeof schema>;

/** A dialect's committed migrations: the nearest `migrations/<dialect>/` above this module (src/store/ or bundled dist/). */
export function migrationsFolder(dialect: 'sqlite' | 'postgres'): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'migrations', dialect);
    if (fs.existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`migrations/${dialect}/ folder not found next to the application`);
}

/** Opens (creating the folder if needed) and migrates the database at `file`. */
export function openDatabase(file: string): { sqlite: Database.Database; db: Db } {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // Long enough for start-up migrations and the CLI; the running bot's store lowers it and waits asynchronously instead.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: migrationsFolder('sqlite') });
  return { sqlite, db };
}

/** Writes a consistent copy of the live database to `target` (VACUUM INTO), safe while the bot runs. */
export function backupDatabase(sqlite: Database.Database, target: string): void {
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  if (fs.existsSync(target)) throw new Error(`${target} already exists; choose a new file name`);
  sqlite.prepare('VACUUM INTO ?').run(target);
}
