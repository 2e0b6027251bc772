/** Whether the SQLite database the bot has open can still be trusted with writes: the file at DATABASE_URL is still the open one, and it takes a write. */
import fs from 'node:fs';
import type Database from 'better-sqlite3';

/** Why the database cannot record anything right now, or null when it can. */
export type DatabaseProblem = { state: 'deleted' | 'replaced' | 'unwritable' | 'unreachable'; reason: string } | null;

/** Watches one open SQLite file by device and inode. */
export class DatabaseGuard {
  private readonly identity: { dev: number; ino: number } | null;

  constructor(private readonly sqlite: Database.Database, private readonly file: string) {
    this.identity = file === ':memory:' || file === '' ? null : identityOf(file);
  }

  /** Cheap (one stat): whether the file at the path is still the one open. A deleted or replaced file takes writes that are lost at restart. */
  fileProblem(): DatabaseProblem {
    if (!this.identity) return null;
    const now = identityOf(this.file);
    if (!now) return { state: 'deleted', reason: `the database file ${this.file} was deleted while the bot had it open; what is written now would be lost. Restore it from a backup (or remove the bot's data) and restart the bot` };
    if (now.dev !== this.identity.dev || now.ino !== this.identity.ino) {
      return { state: 'replaced', reason: `the database file ${this.file} was replaced by another file while the bot had it open. Restart the bot to open the new file` };
    }
    return null;
  }

  /** The full check for /healthz: the file, then one real write (the header's user_version, rewritten unchanged). */
  problem(): DatabaseProblem {
    const file = this.fileProblem();
    if (file) return file;
    try {
      const version = this.sqlite.pragma('user_version', { simple: true }) as number;
      this.sqlite.pragma(`user_version = ${Number(version) | 0}`);
      return null;
    } catch (err) {
      return { state: 'unwritable', reason: `the database cannot be written (${(err as Error).message})` };
    }
  }
}

function identityOf(file: string): { dev: number; ino: number } | null {
  try {
    const s = fs.statSync(file);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}
