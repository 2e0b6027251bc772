/**
 * Parent side of bot-child.ts: starts the real bot in its own Node process and talks to it over IPC, with deadlines.
 * The child runs the way `npm start` runs the bot: bundled to plain JavaScript with esbuild and started with
 * `node --enable-source-maps`, no TypeScript loader.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../../scripts/bundle-options.mjs';
import { freePort } from '../../test/e2e/harness.js';
import type { ChildReply, ChildRequest, MemorySample } from './bot-child.js';
import { BenchTimeout } from './timeout.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Under dist/ (git-ignored) inside the project, so the bundle finds node_modules/ and migrations/ as dist/main.js does. */
const OUT = path.resolve(HERE, '../../dist/bench');
let bundled: Promise<string> | null = null;

/** Bundles bot-child.ts with the bot's sources, with scripts/build.mjs's settings; once per run. Resolves to the entry file. */
export function childBundle(): Promise<string> {
  bundled ??= (async () => {
    fs.rmSync(OUT, { recursive: true, force: true });
    await build({
      ...BUNDLE_OPTIONS,
      entryPoints: { 'bot-child': path.join(HERE, 'bot-child.ts') },
      outdir: OUT,
      // The bot's modules go to a chunk of their own, so a botless child (the bare app) never loads them.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
    });
    return path.join(OUT, 'bot-child.js');
  })();
  return bundled;
}

/** Node flags of every bench child, as `npm start` passes them (plus --expose-gc for the memory samples). */
export const CHILD_NODE_FLAGS = ['--enable-source-maps', '--expose-gc'];
const live = new Set<ChildProcess>();
// Whatever happens to the parent, its children go with it.
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

type Omit2<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Options of a bot process. */
export interface BotProcessOptions {
  /** Settings of the bot (SLACK_*, ANNOUNCE_CHANNEL…); PORT and DATABASE_URL are filled in. */
  env: Record<string, string>;
  /** Also start a bare Bolt app (ack only) in the same process. */
  bare?: boolean;
  /** Start only the bare Bolt app, not the bot (a floor for memory). */
  botless?: boolean;
  /** Extra Node flags for the child (experiments). */
  execArgv?: string[];
  /** Extra environment of the child process itself (experiments, e.g. MALLOC_ARENA_MAX). */
  processEnv?: Record<string, string>;
  /** The bot's DATABASE_URL; default a SQLite file in the process's temp folder. */
  databaseUrl?: string;
}

/** A bot running in a child process. */
export class BotProcess {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(private readonly child: ChildProcess, readonly botUrl: string, readonly bareUrl: string | null, readonly dir: string) {
    child.on('message', (m: ChildReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(`bot process: ${m.error}`));
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      live.delete(child);
      for (const p of this.pending.values()) p.reject(new Error(`bot process exited (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
  }

  /** The child's process id. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Forks the bundled child (plain node, as `npm start`), starts the bot (and the bare app) and waits until both listen. */
  static async start(opts: BotProcessOptions): Promise<BotProcess> {
    const entry = await childBundle();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-bench-'));
    const port = await freePort();
    const barePort = opts.bare || opts.botless ? await freePort() : null;
    const child = fork(entry, [], {
      execArgv: [...CHILD_NODE_FLAGS, ...(opts.execArgv ?? [])],
      env: { ...process.env, ...opts.processEnv },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    live.add(child);
    const proc = new BotProcess(child, `http://127.0.0.1:${port}`, barePort === null ? null : `http://127.0.0.1:${barePort}`, dir);
    const env = { ...opts.env, PORT: String(port), DATABASE_URL: opts.databaseUrl ?? `file:${path.join(dir, 'incidents.db')}`, LOG_LEVEL: 'silent' };
    try {
      await proc.request({ type: 'start', env, barePort, botless: opts.botless ?? false }, 30_000);
    } catch (err) {
      await proc.stop();
      throw err;
    }
    return proc;
  }

  /** Memory of the child (after forced GC when `gc`). */
  mem(gc = true): Promise<MemorySample> {
    return this.request({ type: 'mem', gc }, 10_000) as Promise<MemorySample>;
  }

  /** Stops the bot cleanly (killing it if it does not exit within 10 s) and removes its temp folder. */
  async stop(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
      await this.request({ type: 'stop' }, 10_000).catch(() => undefined);
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(killer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private request(body: Omit2<ChildRequest, 'id'>, timeoutMs: number): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('bot process has exited'));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BenchTimeout(`bot process: no answer to ${body.type} after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.child.send({ ...body, id } as ChildRequest);
    });
  }
}
