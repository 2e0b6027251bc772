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
