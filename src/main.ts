/** Entry point: read settings, start the bot, stop cleanly on SIGTERM/SIGINT. */
import 'dotenv/config';
import { ConfigError, loadConfig } from './config.js';
import { createBot, type Bot } from './bot.js';
import { StartupError } from './startup-error.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nNothing was started. Fix the settings above (environment or .env) and start again.\n`);
      process.exit(2);
    }
    throw err;
  }
  let bot: Bot | undefined;
  try {
    bot = createBot(config);
    const running = bot;
    let stopping = false;
    // Whatever launched us (npm, Docker, systemd, Kubernetes) sends SIGTERM or SIGINT: finish deliveries in flight, exit 0.
    // Logging must never stop a shutdown (stdout may be a pipe whose reader is already gone).
    const log = (write: () => void) => { try { write(); } catch { /* nowhere to say it */ } };
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      // Deliveries in flight time out well within this; a stop that still hangs must not outlive the supervisor's patience.
      setTimeout(() => { log(() => running.logger.error({ signal }, 'stopping took over 20 s; exiting anyway')); process.exit(1); }, 20_000).unref();
      log(() => running.logger.info({ signal }, 'shutting down: finishing deliveries in flight; the rest stays queued in the database'));
      try {
        await running.stop();
        log(() => running.logger.info({ signal }, 'stopped'));
        process.exit(0);
      } catch (err) {
        log(() => running.logger.error({ err }, 'could not stop cleanly'));
        process.exit(1);
      }
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('unhandledRejection', (err) => running.logger.error({ err }, 'unhandled rejection'));
    await bot.start();
  } catch (err) {
    if (!(err instanceof StartupError)) throw err;
    // One line naming the setting; nothing keeps running (the scheduler and delivery start only after these checks).
    process.stderr.write(`${err.message}\n`);
    await bot?.stop().catch(() => undefined);
    process.exit(1);
  }
}

void main();
