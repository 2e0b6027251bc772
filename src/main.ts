/** Entry point: read settings, start the bot, stop cleanly on SIGTERM/SIGINT. */
import 'dotenv/config';
import { ConfigError, loadConfig } from './config.js';
import { createBot } from './bot.js';

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
  const bot = createBot(config);
  const shutdown = async (signal: string) => {
    bot.logger.info({ signal }, 'shutting down');
    await bot.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => bot.logger.error({ err }, 'unhandled rejection'));
  await bot.start();
}

void main();
