// Bundles src/ into dist/ with esbuild (well under a second), so `npm start` runs plain JavaScript:
// no TypeScript loader in the running bot, which saves memory and start-up time.
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from './bundle-options.mjs';

await build({
  ...BUNDLE_OPTIONS,
  entryPoints: { main: 'src/main.ts', 'cli/postmortem': 'src/cli/postmortem.ts', 'cli/backup': 'src/cli/backup.ts', 'cli/db-copy': 'src/cli/db-copy.ts' },
  outdir: 'dist',
});
