/**
 * A real, throwaway PostgreSQL 15 cluster for tests: initdb in a temp folder owned by the `postgres` user (the
 * server refuses to run as root), pg_ctl on a free loopback port, removed again by stop(). Never a mock.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => fs.existsSync(p)) ?? 'runuser';

/** True when the PostgreSQL server binaries are installed. */
export const postgresAvailable = fs.existsSync(path.join(BIN, 'initdb')) && fs.existsSync(path.join(BIN, 'pg_ctl'));

if (!postgresAvailable) {
  process.stderr.write(`\n${'!'.repeat(78)}\n!! PostgreSQL binaries not found in ${BIN}: the PostgreSQL tests are SKIPPED.\n!! Install them (apt-get install postgresql, as .ci/run does) to run them.\n${'!'.repeat(78)}\n\n`);
}

/** A running throwaway cluster. */
export interface PgCluster {
  port: number;
  /** A URL to database `db` on this cluster. */
  url(db: string): string;
  /** Creates a fresh, empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut), keeping the data. */
  pause(): void;
  /** Starts it again on the same port. */
  resume(): void;
  /** Stops the server and removes the cluster. */
  stop(): Promise<void>;
}

let seq = 0;

/** Starts a cluster; call stop() in afterAll. */
export async function startPostgres(): Promise<PgCluster> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-pg-'));
  const data = path.join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', root]);
  fs.chmodSync(root, 0o755);
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? [RUNUSER, ['-u', 'postgres', '--', path.join(BIN, cmd), ...args]] : [path.join(BIN, cmd), args];
    return execFileSync(file as string, argv as string[], { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir(), env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(root, 'server.log'), '-w', '-t', '30', 'start']);
  start();
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  return {
    port, url,
    async createDatabase(name) {
      const db = name ?? `t${process.pid}_${++seq}`;
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${db}"`);
      } finally {
        await client.end();
      }
      return url(db);
    },
    pause() { run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']); },
    resume() { start(); },
    async stop() {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already stopped */ }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
