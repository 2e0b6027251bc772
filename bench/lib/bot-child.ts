/**
 * Child-process entry: runs the real bot (createBot + loadConfig, as src/main.ts does) and, on request, a bare Bolt
 * app next to it (or only the bare app, as a floor for memory). Driven over IPC by bot-process.ts so that load generation, the Slack emulator and measurements
 * stay in the parent and this process's memory is the bot's alone. Imports nothing from test/. bot-process.ts bundles
 * this file with esbuild (into dist/bench/) and runs it with plain node, as `npm start` runs dist/main.js.
 */
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Bot } from '../../src/bot.js';

/** Requests the parent sends. */
export type ChildRequest =
  /** Starts the bot (unless `botless`: then only the bare app, as a memory floor) and, with a port, the bare app. */
  | { id: number; type: 'start'; env: Record<string, string>; barePort: number | null; botless: boolean }
  | { id: number; type: 'mem'; gc: boolean }
  | { id: number; type: 'stop' };

/** Memory figures of this process (bytes). */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  gcForced: boolean;
}

/** Answers sent back. */
export type ChildReply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string };

let bot: Bot | null = null;
let bare: App | null = null;

function reply(r: ChildReply): void {
  process.send?.(r);
}

async function handle(req: ChildRequest): Promise<unknown> {
  switch (req.type) {
    case 'start': {
      if (!req.botless) {
        // Imported here so that a botless process never loads the bot's modules.
        const [{ createBot }, { loadConfig }] = await Promise.all([import('../../src/bot.js'), import('../../src/config.js')]);
        bot = createBot(loadConfig(req.env));
        await bot.start();
      }
      if (req.barePort !== null) {
        // The floor for acknowledgement latency: same receiver, same signature check, a listener that only acks.
        const receiver = new HTTPReceiver({ signingSecret: req.env.SLACK_SIGNING_SECRET!, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
        bare = new App({ receiver, authorize: async () => ({ botToken: req.env.SLACK_BOT_TOKEN! }), logLevel: LogLevel.ERROR });
        bare.command('/incident', async ({ ack }) => {
          await ack();
        });
        await bare.start(req.barePort);
      }
      return { pid: process.pid };
    }
    case 'mem': {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (req.gc && gc) {
        gc();
        await new Promise((r) => setImmediate(r));
        gc();
      }
      const m = process.memoryUsage();
      const sample: MemorySample = { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, gcForced: !!(req.gc && gc) };
      return sample;
    }
    case 'stop': {
      await bare?.stop().catch(() => undefined);
      await bot?.stop().catch(() => undefined);
      bare = null;
      bot = null;
      setImmediate(() => process.exit(0));
      return null;
    }
  }
}

process.on('message', (msg: ChildRequest) => {
  handle(msg).then(
    (value) => reply({ id: msg.id, ok: true, value }),
    (err: unknown) => reply({ id: msg.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
  );
});
// The parent went away: never outlive it.
process.on('disconnect', () => process.exit(0));
