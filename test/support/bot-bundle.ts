/**
 * The bot and its command-line tools, bundled for child processes the way `npm start` runs them (scripts/build.mjs's
 * settings, plain JavaScript): once per test process, from the sources as they are now, so a child never runs a stale
 * dist/ and never pays for a TypeScript loader at every start (the crash tests start dozens).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, ENTRY_POINTS } from '../../scripts/bundle-options.mjs';

/** The project folder. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Under dist/ (git-ignored) inside the project, so the bundle finds node_modules/, migrations/ and package.json as dist/main.js does.
const OUT = path.join(root, 'dist', `test-${process.pid}`);
let built: Promise<void> | null = null;

/** What can be run: the bot (`main`) or one of its tools. */
export type Entry = keyof typeof ENTRY_POINTS;

/** Node's arguments to run `entry` with `args`, bundling first if this process has not yet. */
export async function nodeArgs(entry: Entry, ...args: string[]): Promise<string[]> {
  built ??= (async () => {
    removeOrphans();
    await build({ ...BUNDLE_OPTIONS, entryPoints: ENTRY_POINTS, outdir: OUT, absWorkingDir: root });
    process.once('exit', () => fs.rmSync(OUT, { recursive: true, force: true }));
  })();
  await built;
  return ['--enable-source-maps', path.join(OUT, `${entry}.js`), ...args];
}

// Test workers are often killed rather than left to exit: a bundle whose process is gone is removed by the next one.
function removeOrphans(): void {
  const dist = path.join(root, 'dist');
  for (const name of fs.existsSync(dist) ? fs.readdirSync(dist) : []) {
    const pid = Number(/^test-(\d+)$/.exec(name)?.[1]);
    if (pid && !isAlive(pid)) fs.rmSync(path.join(dist, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
