// Bundles src/ into dist/ with esbuild (well under a second), so `npm start` runs plain JavaScript:
// no TypeScript loader in the running bot, which saves memory and start-up time.
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'src/main.ts', 'cli/postmortem': 'src/cli/postmortem.ts', 'cli/backup': 'src/cli/backup.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
