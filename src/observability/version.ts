/** The bot's version, from the package.json next to the code (src/ or the bundled dist/), read once. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function readVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'incident-bot' && pkg.version) return pkg.version;
    } catch { /* not here; look one folder up */ }
    dir = path.dirname(dir);
  }
  return 'unknown';
}

/** package.json's version, or `unknown` when it is not shipped beside the code. */
export const VERSION: string = readVersion();
