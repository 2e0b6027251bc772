/** Structured JSON logs (pino) with secrets redacted wherever they might appear. */
import pino, { type Logger } from 'pino';

/** The bot's logger type. */
export type { Logger };

const TOKEN = /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)\b/g;

/** Replaces anything that looks like a Slack token in a string. */
export function redactTokens(s: string): string {
  return s.replace(TOKEN, (t) => `${t.slice(0, 5)}[REDACTED]`);
}

/** Creates the root logger; `secrets` are masked wherever they occur in a line. */
export function createLogger(level: string, secrets: string[] = [], destination?: pino.DestinationStream): Logger {
  const known = secrets.filter((s) => s.length >= 6);
  return pino({
    level,
    base: { app: 'incident-bot' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'signingSecret', '*.signingSecret', 'botToken', 'appToken', 'config.botToken', 'config.signingSecret', 'config.appToken'],
      censor: '[REDACTED]',
    },
    hooks: {
      // Tokens can hide inside error messages or free text; mask them in the final string too.
      streamWrite(line) {
        let out = redactTokens(line);
        for (const s of known) out = out.split(s).join('[REDACTED]');
        return out;
      },
    },
  }, destination);
}
