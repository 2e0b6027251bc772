// The esbuild settings of every bundle of the bot: `npm start` (scripts/build.mjs) and the benchmarks' bot child.
/** One ESM bundle of our code for Node 20, dependencies left to node_modules, with source maps. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

/** The bundle's entry points: the bot and its command-line tools (dist/<name>.js). */
export const ENTRY_POINTS = { main: 'src/main.ts', 'cli/postmortem': 'src/cli/postmortem.ts', 'cli/backup': 'src/cli/backup.ts', 'cli/db-copy': 'src/cli/db-copy.ts' };
