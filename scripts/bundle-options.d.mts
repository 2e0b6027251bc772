import type { BuildOptions } from 'esbuild';

/** One ESM bundle of our code for Node 20, dependencies left to node_modules, with source maps. */
export declare const BUNDLE_OPTIONS: BuildOptions;

/** The bundle's entry points: the bot and its command-line tools (dist/<name>.js). */
export declare const ENTRY_POINTS: Record<'main' | 'cli/postmortem' | 'cli/backup' | 'cli/db-copy', string>;
