/** A copy of the application in a fresh temp folder, as a deployment (or the Dockerfile) sees it: no dev tree, no dist/. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What the Dockerfile copies into its build stage (keep the two in step; the Docker test checks it). */
export const APP_FILES = ['package.json', 'package-lock.json', 'scripts', 'src', 'migrations'];

/** Copies APP_FILES into a new temp folder and returns it. */
export function copyApp(prefix = 'incident-bot-app-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const f of APP_FILES) fs.cpSync(path.join(repoRoot, f), path.join(dir, f), { recursive: true });
  return dir;
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 240_000): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, args, { cwd, env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}
