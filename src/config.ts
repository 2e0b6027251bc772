/** The environment, read and validated once: the only module that touches process.env. */
import { z } from 'zod';
import { parseDuration } from './domain/duration.js';
import { parseCadence, type Cadence } from './domain/cadence.js';
import { DEFAULT_ALERT_SEVERITY, parsePageSeverities, parseSeverityMap, type SeverityMap } from './domain/alerts.js';
import type { Severity } from './domain/incident.js';

/** Validated settings the whole bot runs on. */
export interface Config {
  botToken: string;
  signingSecret: string | null;
  appToken: string | null;
  slackApiUrl: string | null;
  port: number;
  databasePath: string;
  /** DATABASE_URL as given: postgres:// selects PostgreSQL, anything else SQLite at `databasePath`. */
  databaseUrl: string;
  /** How long a replica holds an outbox claim before another may take it over (PostgreSQL). */
  outboxLeaseMs: number;
  /** PostgreSQL connection limits of this replica (ignored on SQLite). */
  databasePool: { size: number; statementTimeoutMs: number; connectTimeoutMs: number };
  announceChannel: string | null;
  cadence: Cadence;
  schedulerTickMs: number;
  escalateAfterMissed: number;
  postmortemDueMs: number | null;
  timelineEmoji: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Atlassian Statuspage, when STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID are set. */
  statuspage?: { apiKey: string; pageId: string; apiUrl: string } | null;
  /** GitHub issues for action items, when GITHUB_TOKEN and GITHUB_REPOSITORY are set. */
  github?: { token: string; repository: string; apiUrl: string } | null;
  /** Secret of the repository webhook; unset: /hooks/github answers 404. */
  githubWebhookSecret?: string | null;
  /** Alerts in and pages out (issue 15). */
  alerts: AlertSettings;
}

/** Alert hooks and paging settings. */
export interface AlertSettings {
  webhookToken: string | null;
  severityMap: SeverityMap;
  pagerDutyRoutingKey: string | null;
  pagerDutyEventsUrl: string;
  pageSeverities: Severity[];
  pagerDutyWebhookSecret: string | null;
}

/** Thrown when settings are missing or malformed; one line per problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodTypeAny>(s: T) => z.preprocess(blankToUndefined, s.optional());

function duration(name: string, example: string, allowOff: boolean, min = 1000, max = Infinity) {
  return z.string().transform((raw, ctx) => {
    const ms = parseDuration(raw, allowOff);
    if (ms === undefined || (ms !== null && (ms < min || ms > max))) {
      ctx.addIssue({ code: 'custom', message: `${name} must be a duration like ${example}${allowOff ? ' or off' : ''}; got "${raw}"` });
      return z.NEVER;
    }
    return ms;
  });
}

function httpUrl(name: string, example: string) {
  return z.string().refine((u) => /^https?:\/\/[^\s/]+/.test(u) && URL.canParse(u), `${name} must be an http(s) URL, e.g. ${example}`)
    .transform((u) => (u.endsWith('/') ? u : `${u}/`));
}

const schema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(blankToUndefined, z.string({ error: 'SLACK_BOT_TOKEN is required: the bot token, e.g. xoxb-1234-5678-abcd' })
    .regex(/^xoxb-\S+$/, 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-, e.g. xoxb-1234-5678-abcd')),
  SLACK_SIGNING_SECRET: opt(z.string().regex(/^[A-Za-z0-9]{8,}$/, 'SLACK_SIGNING_SECRET must be the hex signing secret from the app\'s Basic Information page, e.g. 8f742231b10e8888abcd99yyyzzz85a5')),
  SLACK_APP_TOKEN: opt(z.string().regex(/^xapp-\S+$/, 'SLACK_APP_TOKEN must be an app-level token starting with xapp-, e.g. xapp-1-A0123-4567-abcd')),
  SLACK_API_URL: opt(z.url({ error: 'SLACK_API_URL must be an http(s) URL ending in /api/, e.g. http://127.0.0.1:9999/api/' })
    .refine((u) => /^https?:\/\//.test(u), 'SLACK_API_URL must be an http(s) URL, e.g. http://127.0.0.1:9999/api/')),
  PORT: z.preprocess(blankToUndefined, z.coerce.number({ error: 'PORT must be a TCP port number, e.g. 3000' }).int().min(1, 'PORT must be between 1 and 65535, e.g. 3000').max(65535, 'PORT must be between 1 and 65535, e.g. 3000').default(3000)),
  DATABASE_URL: z.preprocess(blankToUndefined, z.string().default('file:./data/incidents.db')),
  OUTBOX_LEASE: z.preprocess(blankToUndefined, z.string().default('30s').pipe(duration('OUTBOX_LEASE', '30s or 1m', false, 1000, 3_600_000))),
  DATABASE_POOL_SIZE: z.preprocess(blankToUndefined, z.coerce.number({ error: 'DATABASE_POOL_SIZE must be a whole number of connections, e.g. 10' }).int('DATABASE_POOL_SIZE must be a whole number of connections, e.g. 10').min(2, 'DATABASE_POOL_SIZE must be between 2 and 1000, e.g. 10').max(1000, 'DATABASE_POOL_SIZE must be between 2 and 1000, e.g. 10').default(10)),
  DATABASE_STATEMENT_TIMEOUT: z.preprocess(blankToUndefined, z.string().default('5s').pipe(duration('DATABASE_STATEMENT_TIMEOUT', '5s or 1m (1s to 1h)', false, 1000, 3_600_000))),
  DATABASE_CONNECT_TIMEOUT: z.preprocess(blankToUndefined, z.string().default('3s').pipe(duration('DATABASE_CONNECT_TIMEOUT', '3s or 10s (1s to 10m)', false, 1000, 600_000))),
  ANNOUNCE_CHANNEL: opt(z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'ANNOUNCE_CHANNEL must be a channel ID (not a name), e.g. C0123456789')),
  UPDATE_CADENCE: z.preprocess(blankToUndefined, z.string().default('SEV1=15m,SEV2=30m,SEV3=60m,SEV4=off')),
  SCHEDULER_TICK: z.preprocess(blankToUndefined, z.string().default('30s').pipe(duration('SCHEDULER_TICK', '1s, 30s or 1m', false, 1000, 3_600_000))),
  ESCALATE_AFTER_MISSED: z.preprocess(blankToUndefined, z.coerce.number({ error: 'ESCALATE_AFTER_MISSED must be a whole number, e.g. 2' }).int('ESCALATE_AFTER_MISSED must be a whole number, e.g. 2').min(1, 'ESCALATE_AFTER_MISSED must be at least 1, e.g. 2').max(1000, 'ESCALATE_AFTER_MISSED must be at most 1000, e.g. 2').default(2)),
  POSTMORTEM_DUE: z.preprocess(blankToUndefined, z.string().default('48h').pipe(duration('POSTMORTEM_DUE', '48h or 2d', true))),
  TIMELINE_EMOJI: z.preprocess(blankToUndefined, z.string().transform((s) => s.replace(/^:|:$/g, '')).pipe(z.string().regex(/^[a-z0-9_+'-]{1,100}$/, 'TIMELINE_EMOJI must be an emoji name without colons, e.g. pushpin')).default('pushpin')),
  ALERT_WEBHOOK_TOKEN: opt(z.string().min(16, 'ALERT_WEBHOOK_TOKEN must be a long random token (at least 16 characters), e.g. the output of openssl rand -hex 32').max(500, 'ALERT_WEBHOOK_TOKEN must be at most 500 characters')),
  PAGERDUTY_ROUTING_KEY: opt(z.string().regex(/^[A-Za-z0-9]{20,64}$/, 'PAGERDUTY_ROUTING_KEY must be an Events API v2 integration key (32 letters and digits), e.g. R0123456789ABCDEF0123456789ABCDE')),
  PAGERDUTY_EVENTS_URL: z.preprocess(blankToUndefined, z.url({ error: 'PAGERDUTY_EVENTS_URL must be an http(s) URL, e.g. https://events.pagerduty.com/v2/enqueue' })
    .refine((u) => /^https?:\/\//.test(u), 'PAGERDUTY_EVENTS_URL must be an http(s) URL, e.g. https://events.pagerduty.com/v2/enqueue').default('https://events.pagerduty.com/v2/enqueue')),
  PAGERDUTY_WEBHOOK_SECRET: opt(z.string().min(8, 'PAGERDUTY_WEBHOOK_SECRET must be the signing secret PagerDuty shows for the webhook subscription').max(500, 'PAGERDUTY_WEBHOOK_SECRET must be at most 500 characters')),
  STATUSPAGE_API_KEY: opt(z.string().regex(/^\S+$/, 'STATUSPAGE_API_KEY must be the API key from your Statuspage profile (API info), without spaces')),
  STATUSPAGE_PAGE_ID: opt(z.string().regex(/^[A-Za-z0-9]+$/, 'STATUSPAGE_PAGE_ID must be the page ID shown on the API info page, e.g. kctbh9vrtdwd')),
  STATUSPAGE_API_URL: z.preprocess(blankToUndefined, z.string().default('https://api.statuspage.io/v1/').pipe(httpUrl('STATUSPAGE_API_URL', 'https://api.statuspage.io/v1/'))),
  GITHUB_TOKEN: opt(z.string().regex(/^\S+$/, 'GITHUB_TOKEN must be a GitHub token without spaces, e.g. github_pat_11ABC…')),
  GITHUB_REPOSITORY: opt(z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'GITHUB_REPOSITORY must be owner/name, e.g. acme/shop')),
  GITHUB_API_URL: z.preprocess(blankToUndefined, z.string().default('https://api.github.com/').pipe(httpUrl('GITHUB_API_URL', 'https://api.github.com/'))),
  GITHUB_WEBHOOK_SECRET: opt(z.string().min(8, 'GITHUB_WEBHOOK_SECRET must be at least 8 characters: the secret set on the repository webhook')),
  LOG_LEVEL: z.preprocess((v) => (typeof v === 'string' ? blankToUndefined(v.toLowerCase()) : v), z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, e.g. info' }).default('info')),
});

/** Turns `file:./x.db`, `sqlite:x.db` or a plain path into a file path (`:memory:` kept). */
export function databasePathFrom(url: string): string {
  return url.replace(/^(file|sqlite):(\/\/)?/, '');
}

/** Why the bot cannot use this DATABASE_URL, or null when it can (SQLite: `file:`, `sqlite:` or a plain path; PostgreSQL: `postgres://`, `postgresql://`). */
export function unsupportedDatabaseUrl(url: string): string | null {
  // A scheme is two or more letters before a colon (one letter would be a Windows drive, a plain path).
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'file' || scheme === 'sqlite') return null;
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return /^postgres(ql)?:\/\/[^/]/i.test(url) ? null : 'DATABASE_URL must name a PostgreSQL server, e.g. postgres://user:password@host:5432/db';
  }
  return `DATABASE_URL scheme "${scheme}:" is not supported; use a SQLite file, e.g. file:./data/incidents.db, or PostgreSQL, e.g. postgres://user:password@host:5432/db`;
}

/** Validates an environment; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '');
      problems.push(issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`);
    }
  }
  const cadence = parseCadence(env.UPDATE_CADENCE?.trim() || 'SEV1=15m,SEV2=30m,SEV3=60m,SEV4=off');
  if ('error' in cadence) problems.push(`UPDATE_CADENCE ${cadence.error}; e.g. SEV1=15m,SEV2=30m,SEV3=60m,SEV4=off`);
  if (!env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim()) {
    problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (when SLACK_APP_TOKEN is not set), e.g. 8f742231b10e8888abcd99yyyzzz85a5');
  }
  const database = unsupportedDatabaseUrl(env.DATABASE_URL?.trim() || 'file:./data/incidents.db');
  if (database) problems.push(database);
  const severityMap = parseSeverityMap(env.ALERT_SEVERITY?.trim() || DEFAULT_ALERT_SEVERITY);
  if ('error' in severityMap) problems.push(`ALERT_SEVERITY ${severityMap.error}`);
  const pageSeverities = parsePageSeverities(env.PAGE_SEVERITIES?.trim() || 'SEV1,SEV2');
  if ('error' in pageSeverities) problems.push(`PAGE_SEVERITIES ${pageSeverities.error}`);
  for (const [a, b] of [['STATUSPAGE_API_KEY', 'STATUSPAGE_PAGE_ID'], ['GITHUB_TOKEN', 'GITHUB_REPOSITORY']] as const) {
    if (!!env[a]?.trim() !== !!env[b]?.trim()) problems.push(`${env[a]?.trim() ? b : a} must be set too: ${a} and ${b} go together (or leave both unset)`);
  }
  if (problems.length > 0 || !parsed.success || 'error' in cadence || 'error' in severityMap || 'error' in pageSeverities) throw new ConfigError(problems);
  const d = parsed.data;
  return {
    botToken: d.SLACK_BOT_TOKEN,
    signingSecret: d.SLACK_SIGNING_SECRET ?? null,
    appToken: d.SLACK_APP_TOKEN ?? null,
    slackApiUrl: d.SLACK_API_URL ? (d.SLACK_API_URL.endsWith('/') ? d.SLACK_API_URL : `${d.SLACK_API_URL}/`) : null,
    port: d.PORT,
    databasePath: databasePathFrom(d.DATABASE_URL),
    databaseUrl: d.DATABASE_URL,
    outboxLeaseMs: d.OUTBOX_LEASE as number,
    databasePool: { size: d.DATABASE_POOL_SIZE, statementTimeoutMs: d.DATABASE_STATEMENT_TIMEOUT as number, connectTimeoutMs: d.DATABASE_CONNECT_TIMEOUT as number },
    announceChannel: d.ANNOUNCE_CHANNEL ?? null,
    cadence,
    schedulerTickMs: d.SCHEDULER_TICK as number,
    escalateAfterMissed: d.ESCALATE_AFTER_MISSED,
    postmortemDueMs: d.POSTMORTEM_DUE as number | null,
    timelineEmoji: d.TIMELINE_EMOJI,
    logLevel: d.LOG_LEVEL,
    alerts: {
      webhookToken: d.ALERT_WEBHOOK_TOKEN ?? null,
      severityMap: severityMap.map,
      pagerDutyRoutingKey: d.PAGERDUTY_ROUTING_KEY ?? null,
      pagerDutyEventsUrl: d.PAGERDUTY_EVENTS_URL,
      pageSeverities,
      pagerDutyWebhookSecret: d.PAGERDUTY_WEBHOOK_SECRET ?? null,
    },
    statuspage: d.STATUSPAGE_API_KEY && d.STATUSPAGE_PAGE_ID ? { apiKey: d.STATUSPAGE_API_KEY, pageId: d.STATUSPAGE_PAGE_ID, apiUrl: d.STATUSPAGE_API_URL } : null,
    github: d.GITHUB_TOKEN && d.GITHUB_REPOSITORY ? { token: d.GITHUB_TOKEN, repository: d.GITHUB_REPOSITORY, apiUrl: d.GITHUB_API_URL } : null,
    githubWebhookSecret: d.GITHUB_WEBHOOK_SECRET ?? null,
  };
}

/** Names of settings whose values are secrets and must never be logged. */
export const SECRET_SETTINGS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'ALERT_WEBHOOK_TOKEN', 'PAGERDUTY_ROUTING_KEY', 'PAGERDUTY_WEBHOOK_SECRET', 'STATUSPAGE_API_KEY', 'GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET'] as const;
