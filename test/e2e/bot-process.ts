/**
 * Runs the real bot as a child process (bundled as `npm start` runs it: test/support/bot-bundle.ts), so tests can kill -9 it.
 * No vitest here: `npm run soak` (bench/soak.ts, through crash-script.ts) starts bots with it too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { nodeArgs, root } from '../support/bot-bundle.js';


/** A bot process and how to reach it. */
export interface BotProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the bot with `env` and resolves once /healthz answers; fails fast, with its output, if it exits or never answers. */
export async function spawnBot(env: Record<string, string>, startTimeoutMs = 20_000): Promise<BotProcess> {
  const child = spawn(process.execPath, await nodeArgs('main'), { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const url = `http://127.0.0.1:${env.PORT}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot exited during start-up:\n${out}`);
    const res = await fetch(`${url}/healthz`).catch(() => null); // null: not listening yet
    if (res?.status === 200) break;
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`bot did not start:\n${out}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child, url, output: () => out,
    async kill9() { child.kill('SIGKILL'); await exited; },
    async stop() { if (child.exitCode === null) { child.kill('SIGTERM'); await exited; } },
  };
}

/** How a bot process that was expected to refuse start-up ended. */
export interface Exited { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs the bot with `env` until it exits by itself (or `timeoutMs` passes, then kills it and fails). */
export async function runUntilExit(env: Record<string, string>, timeoutMs = 20_000): Promise<Exited> {
  const child = spawn(process.execPath, await nodeArgs('main'), { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += String(d); });
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  if (signal === 'SIGKILL') throw new Error(`bot kept running for ${timeoutMs} ms instead of refusing to start:\n${stdout}${stderr}`);
  return { code, signal, stdout, stderr };
}
