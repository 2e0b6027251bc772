/** Starts the real bot (Bolt over HTTP on loopback, or in Socket Mode) against the Slack emulator, with a real SQLite file in a temp folder (or, with E2E_STORE=postgres, a fresh database on the run's PostgreSQL cluster). */
import fs from 'node:fs';
import { freePort } from '../support/free-port.js';
import os from 'node:os';
import path from 'node:path';
import { createBot, type Bot, type BotOptions } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { SlackDriver, SlackEmulator } from '../slack-emulator/index.js';
import { e2eDatabaseUrl } from '../support/e2e-store.js';

/** Signing secret used by every end-to-end test. */
export const SIGNING_SECRET = 'e2etestsigningsecret0123456789ab';
/** Bot token used by every end-to-end test (fake, accepted by the emulator). */
export const BOT_TOKEN = 'xoxb-e2e-test-token';
/** App-level token of the Socket Mode tests (fake, accepted by the emulator). */
export const APP_TOKEN = 'xapp-1-A0APP-1-e2etest';

/** A free TCP port on loopback. */
export { freePort };

/** A running bot with its emulator, driver and temp database. */
export interface Harness {
  emu: SlackEmulator;
  bot: Bot;
  driver: SlackDriver;
  url: string;
  dir: string;
  announce: string;
  env: Record<string, string>;
  /** Stops the bot (keeping the database) and starts a fresh instance on the same files. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** How the harness runs the bot: `socket` sets SLACK_APP_TOKEN (no signing secret) and drives it over the emulator's socket. */
export type HarnessMode = 'http' | 'socket';

/** Starts an emulator and a bot; `env` overrides settings (a SLACK_APP_TOKEN there means Socket Mode too). */
export async function startHarness(env: Record<string, string> = {}, options: { emu?: SlackEmulator; clock?: () => number; bot?: BotOptions; mode?: HarnessMode } = {}): Promise<Harness> {
  const mode: HarnessMode = options.mode ?? (env.SLACK_APP_TOKEN ? 'socket' : 'http');
  const emu = options.emu ?? new SlackEmulator();
  if (!options.emu) await emu.start();
  const announce = emu.channelByName('incidents')?.id ?? emu.createChannel('incidents', { members: ['U0BOT'] }).id;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-e2e-'));
  const port = await freePort();
  const databaseUrl = env.DATABASE_URL ? null : await e2eDatabaseUrl();
  const fullEnv: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: emu.apiUrl, PORT: String(port),
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    DATABASE_URL: `file:${path.join(dir, 'incidents.db')}`, ANNOUNCE_CHANNEL: announce, LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...env,
  };
  const logger = createLogger(process.env.E2E_LOG_LEVEL ?? 'silent');
  const make = () => createBot(loadConfig(fullEnv), { logger, ...options.bot, clock: options.clock });
  const h: Harness = {
    emu, bot: make(), dir, announce, env: fullEnv,
    url: `http://127.0.0.1:${port}`,
    driver: new SlackDriver({ botUrl: `http://127.0.0.1:${port}`, signingSecret: SIGNING_SECRET, emulator: emu, transport: mode }),
    async restart() {
      await h.bot.stop();
      h.bot = make();
      await h.bot.start();
    },
    async close() {
      await h.bot.stop().catch(() => undefined);
      if (!options.emu) await emu.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await h.bot.start();
  return h;
}
