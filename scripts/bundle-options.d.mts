import type { BuildOptions } from 'esbuild';

/** One ESM bundle of our code for Node 20, dependencies left to node_modules, with source maps. */
export declare const BUNDLE_OPTIONS: BuildOptions;
