// Bundles src/ into dist/ with esbuild (well under a second), so `npm start` runs plain JavaScript:
// no TypeScript loader in the running bot, which saves memory and start-up time.
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, ENTRY_POINTS } from './bundle-options.mjs';

await build({
  ...BUNDLE_OPTIONS,
  entryPoints: ENTRY_POINTS,
  outdir: 'dist',
});
