/** Wires one bot instance: config → database → Slack client and outbox → use cases → listeners and scheduler. */
import type { Policy } from './app/context.js';
import type { Config } from './config.js';
import { SECRET_SETTINGS } from './config.js';
import { SEVERITIES } from './domain/incident.js';
import { createLogger, type Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { reportBacklog } from './observability/backlog-report.js';
import { Scheduler } from './scheduler/scheduler.js';
import { createSlackApp, type OpsRoutes, type SocketTuning } from './slack/app.js';
import { CircuitBreakers, type BreakerOptions } from './slack/circuit-breaker.js';
import { createDeliverer } from './slack/delivery.js';
import { type Deliver, OutboxWorker, type WorkerOptions } from './outbox/worker.js';
import { TargetHttpClient } from './outbox/http-target.js';
import { createHookRouter } from './integrations/hook-router.js';
import { createPagerDutyDeliverer } from './integrations/pagerduty-events.js';
import type { Target } from './app/effects.js';
import { SlackApi, SlackCallError } from './slack/slack-api.js';
import { StartupError, systemReason } from './startup-error.js';
import { openStore, type OpenedStore, type StoreOptions } from './store/open-store.js';
import { createGivenUpNotifier } from './slack/given-up-notice.js';
import { DatabaseGuard } from './store/database-guard.js';
import type { OutboxItem } from './app/ports.js';
import { githubTarget, statuspageTarget } from './integrations/wiring.js';
import { githubHookRoute } from './integrations/github/webhook.js';

/** Test seams: a clock and a logger. */
export interface BotOptions {
  clock?: () => number;
  logger?: Logger;
  workerConcurrency?: number;
  /** Delivery tuning (backoff, polling, attempts); tests shorten the timings. */
  worker?: Partial<WorkerOptions>;
  /** Circuit breaker thresholds; tests shorten the open period. */
  breaker?: Partial<BreakerOptions>;
  /** Web API client timeout in ms (default 10 s). */
  slackTimeoutMs?: number;
  /** Timeout of calls to PagerDuty, Statuspage and GitHub in ms (default 10 s). */
  targetTimeoutMs?: number;
  /** Socket Mode reconnect pacing (default Slack's client and a 5 s to 60 s backoff); tests shorten it. */
  socket?: SocketTuning;
}

/** A running bot's parts, for main and for tests. */
export type Bot = Awaited<ReturnType<typeof createBot>>;

/** Builds (but does not start) a bot. */
export function createBot(config: Config, options: BotOptions = {}) {
  const clock = options.clock ?? Date.now;
  const secrets = [config.botToken, config.signingSecret, config.appToken, config.alerts.webhookToken, config.alerts.pagerDutyRoutingKey, config.alerts.pagerDutyWebhookSecret, config.statuspage?.apiKey, config.github?.token, config.githubWebhookSecret].filter((s): s is string => !!s);
  const logger = options.logger ?? createLogger(config.logLevel, secrets);
  const metrics = new Metrics();
  const opened = openOrRefuse(config.databaseUrl, {
    leaseMs: config.outboxLeaseMs,
    pool: { max: config.databasePool.size, statementTimeoutMs: config.databasePool.statementTimeoutMs, connectTimeoutMs: config.databasePool.connectTimeoutMs },
    onConnectionError: (err) => logger.warn({ err: err.message }, 'database: connection lost; requests fail until it is back, queued work waits'),
  });
  const { store, queue, sqlite } = opened;
  // SQLite only: the file at DATABASE_URL must stay the one open (PostgreSQL health is its ping).
  const dbGuard = sqlite ? new DatabaseGuard(sqlite, config.databasePath) : null;
  const breakers = new CircuitBreakers({ failureThreshold: 5, openMs: 10_000, ...options.breaker });
  const api = new SlackApi({ token: config.botToken, slackApiUrl: config.slackApiUrl, timeoutMs: options.slackTimeoutMs }, breakers, metrics, clock, logger.child({ component: 'slack-api' }));
  const policy: Policy = {
    cadence: config.cadence, escalateAfterMissed: config.escalateAfterMissed,
    postmortemDueMs: config.postmortemDueMs, hasAnnounceChannel: config.announceChannel !== null,
    paging: { enabled: config.alerts.pagerDutyRoutingKey !== null, severities: config.alerts.pageSeverities },
    statuspage: !!config.statuspage, github: !!config.github,
  };
  const deps = { store, clock, policy };
  const deliver = createDeliverer({ api, store, clock, logger, announceChannel: config.announceChannel, respond: postToResponseUrl, statuspage: !!config.statuspage });
  const worker = new OutboxWorker(queue, deliver, clock, logger, metrics, { concurrency: options.workerConcurrency ?? 8, ...options.worker, target: 'slack' });
  // One worker per target, each with its own breakers: PagerDuty, Statuspage or GitHub being down never delays Slack work.
  const workers = new Map<Target, OutboxWorker>([['slack', worker]]);
  const targetBreakers = new Map<Target, CircuitBreakers>();
  /** Registers an outside target: its own breakers, HTTP client and worker. */
  function addTarget(target: Target, build: (http: TargetHttpClient) => Deliver, concurrency = 4, tuning: Partial<WorkerOptions> = {}): void {
    const targetBreaker = new CircuitBreakers({ failureThreshold: 5, openMs: 10_000, ...options.breaker });
    targetBreakers.set(target, targetBreaker);
    const http = new TargetHttpClient(target, targetBreaker, metrics, clock, options.targetTimeoutMs);
    workers.set(target, new OutboxWorker(queue, build(http), clock, logger, metrics, { concurrency, ...tuning, ...options.worker, target }));
  }
  const tellGivenUp = createGivenUpNotifier({ api, logger, respond: postToResponseUrl, channelOf: async (id) => (await store.incidents.get(id))?.channelId ?? null });
  worker.on('givenUp', (item: OutboxItem, reason: string) => void tellGivenUp(item, reason));
  const pd = config.alerts;
  if (pd.pagerDutyRoutingKey) {
    addTarget('pagerduty', (http) => createPagerDutyDeliverer({
      http, store, clock, logger, routingKey: pd.pagerDutyRoutingKey!, eventsUrl: pd.pagerDutyEventsUrl,
      channelUrl: (channelId) => `https://slack.com/app_redirect?channel=${channelId}`,
    }));
  }
  const wiring = { store, clock, logger, api };
  const statuspage = statuspageTarget(config, wiring);
  // An outage of Statuspage or GitHub, however long, never loses a publication or an action item's issue: transient
  // failures retry at the capped backoff until it answers; only a refusal for good ends a delivery (and is said).
  const untilItAnswers = { maxAttempts: Number.MAX_SAFE_INTEGER };
  if (statuspage) addTarget('statuspage', statuspage, 2, untilItAnswers);
  const github = githubTarget(config, wiring);
  if (github) addTarget('github', github, 2, untilItAnswers);
  store.onCommit(() => { for (const w of workers.values()) w.kick(); });
  const targetCircuits = () => Object.fromEntries([...targetBreakers].map(([t, b]) => [t, b.unhealthy()]).filter(([, c]) => Object.keys(c as object).length > 0));
  const scheduler = new Scheduler(deps, config.schedulerTickMs, logger, metrics);

  const hooks = createHookRouter({
    deps, settings: config.alerts, logger, metrics,
    extra: { '/hooks/github': githubHookRoute({ secret: config.githubWebhookSecret ?? null, repository: config.github?.repository ?? null, deps, logger }) },
  });
  const ops: OpsRoutes = {
    hooks,
    async health() {
      // 503 only for the database (the bot cannot record anything); Slack trouble is 'degraded': the outbox keeps the work.
      const problem = dbGuard?.fileProblem() ?? (await store.ping() ? (dbGuard?.problem() ?? null) : { state: 'unreachable' as const, reason: 'the database does not answer' });
      const dbOk = problem === null;
      const outbox = dbOk ? await queue.stats() : null;
      const circuits = breakers.unhealthy();
      const slack = api.tokenRefused ? 'token_refused' : Object.keys(circuits).length === 0 ? 'ok' : 'degraded';
      const givenUp = outbox?.dead ?? 0;
      // Socket Mode: the link's state; `refused` (app token refused on a reconnect) means nothing reaches the bot.
      const socket = front.socket();
      const socketOk = !socket || socket.state === 'connected';
      return {
        status: dbOk ? 200 : 503,
        body: {
          status: dbOk ? (slack === 'ok' && givenUp === 0 && socketOk ? 'ok' : 'degraded') : 'down',
          database: problem?.state ?? 'ok',
          ...(problem ? { problem: problem.reason } : {}),
          ...(socket ? { socket: socket.state, ...(socket.lastError ? { socketError: socket.lastError } : {}) } : {}),
          ...(socket?.state === 'refused' ? { socketAdvice: 'Slack refuses SLACK_APP_TOKEN: create an app-level token with connections:write and restart the bot' } : {}),
          slack, circuits, targets: targetCircuits(),
          ...(api.tokenRefused ? { slackTokenError: api.tokenRefused.code, slackAdvice: 'Slack refuses SLACK_BOT_TOKEN: set it to the Bot User OAuth Token (reinstall the app if it was revoked) and restart the bot' } : {}),
          deliveriesGivenUp: givenUp,
          outbox: outbox && { ...outbox, oldestPendingAgeSeconds: outbox.oldestPendingAt === null ? null : Math.round((clock() - outbox.oldestPendingAt) / 1000) },
        },
      };
    },
    async metrics() {
      const open = await store.incidents.listOpen();
      for (const s of SEVERITIES) metrics.incidentsOpen.set({ severity: s }, open.filter((i) => i.severity === s).length);
      const stats = await queue.stats();
      metrics.outboxDepth.set({ state: 'pending' }, stats.pending);
      metrics.outboxDepth.set({ state: 'inflight' }, stats.inflight);
      metrics.outboxDepth.set({ state: 'dead' }, stats.dead);
      for (const [method, state] of Object.entries(breakers.all())) metrics.circuitState.set({ method }, circuitValue(state));
      const socket = front.socket();
      if (socket) metrics.socketConnected.set(socket.state === 'connected' ? 1 : 0);
      for (const target of workers.keys()) {
        const t = await queue.stats(target);
        metrics.targetDepth.set({ target, state: 'pending' }, t.pending);
        metrics.targetDepth.set({ target, state: 'inflight' }, t.inflight);
        metrics.targetDepth.set({ target, state: 'dead' }, t.dead);
      }
      for (const [target, b] of targetBreakers) for (const [operation, state] of Object.entries(b.all())) metrics.targetCircuit.set({ target, operation }, circuitValue(state));
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
  };

  let retention: NodeJS.Timeout | null = null;
  let backlog: NodeJS.Timeout | null = null;
  let probe: NodeJS.Timeout | null = null;
  const front = createSlackApp(config, { deps, api, logger, metrics, timelineEmoji: config.timelineEmoji, databaseProblem: () => dbGuard?.fileProblem() ?? null }, ops, options.socket);

  /** auth.test at start-up: a refused token stops start-up; Slack unreachable only delays deliveries (they wait in the outbox). */
  async function checkToken(): Promise<void> {
    try {
      const who = await Promise.race([
        api.web.auth.test(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('auth.test did not answer within 5 s')), 5000).unref()),
      ]);
      logger.info({ team: who.team, teamId: who.team_id, botUser: who.user, botUserId: who.user_id, botId: who.bot_id }, 'Slack accepted the bot token');
    } catch (err) {
      if (err instanceof SlackCallError && err.failure.kind === 'slack_error') {
        throw new StartupError('SLACK_BOT_TOKEN', `SLACK_BOT_TOKEN was refused by Slack (auth.test answered ${err.failure.code}). Set it to the app's Bot User OAuth Token (xoxb-…, on the OAuth & Permissions page; reinstall the app if it was revoked) and start again.`);
      }
      logger.warn({ err: String(err) }, 'could not reach Slack to check the bot token; starting anyway (deliveries wait in the outbox until Slack answers)');
    }
  }

  return {
    config, logger, metrics, store, queue, sqlite, dialect: opened.dialect, pg: opened.pg, worker, workers, targetBreakers, scheduler, api, breakers, deps, app: front.app,
    /** Binds the port and checks the token before anything runs (either failing throws StartupError), then starts delivery and the scheduler. */
    async start() {
      // Migrated before anything is served (PostgreSQL may first be waited for): a request, an envelope or /healthz
      // arriving earlier would meet tables that do not exist yet. SQLite was migrated when it was opened.
      try {
        await opened.ready();
      } catch (err) {
        throw new StartupError('DATABASE_URL', `DATABASE_URL: cannot reach or migrate the database (${systemReason(err)}). Check the URL, that the server is up and that the user may create tables.`);
      }
      try {
        await front.start();
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
          const why = code === 'EADDRINUSE' ? 'is already in use by another program' : code === 'EACCES' ? 'needs privileges this process does not have' : 'is not available on this machine';
          throw new StartupError('PORT', `PORT ${config.port} cannot be bound: it ${why} (${code}). Set PORT to a free port, e.g. PORT=3001, or stop what holds it.`);
        }
        throw err;
      }
      await checkToken();
      for (const w of workers.values()) await w.start();
      retention = setInterval(() => {
        opened.prune(clock()).then((pruned) => {
          if (pruned > 0) logger.info({ pruned }, 'retention: pruned delivered outbox rows and old request keys');
        }, (err: unknown) => logger.warn({ err }, 'retention: pruning failed; will try again'));
      }, 3_600_000);
      retention.unref();
      // Every 30 s while anything waits for Slack, one log line says what is pending.
      // Half-open circuits are probed (api.test) so /healthz recovers when Slack does, even for methods nobody calls.
      probe = setInterval(() => void probeCircuits(api, breakers, clock, logger), breakers.openMs);
      probe.unref();
      backlog = setInterval(() => {
        reportBacklog({ stats: () => queue.stats(), openCircuits: () => breakers.unhealthy(), clock }, logger).catch(() => undefined);
      }, 30_000);
      backlog.unref();
      scheduler.start();
      logger.info({ pid: process.pid, port: config.port, mode: config.appToken ? 'socket' : 'http', slackApiUrl: config.slackApiUrl ?? 'default', secrets: SECRET_SETTINGS.length }, 'incident bot started');
    },
    /** Stops accepting, finishes deliveries in flight, closes the database. */
    async stop() {
      if (retention) clearInterval(retention);
      if (backlog) clearInterval(backlog);
      if (probe) clearInterval(probe);
      await front.stop().catch(() => undefined);
      await scheduler.stop();
      await Promise.all([...workers.values()].map((w) => w.stop()));
      await opened.close();
    },
  };
}

function circuitValue(state: string): number {
  return state === 'closed' ? 0 : state === 'half_open' ? 1 : 2;
}

/** Posts a reply to a slash command's response_url (outside the Web API, so plain fetch). */
async function postToResponseUrl(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  if (res.status >= 500) throw new Error(`response_url answered ${res.status}`);
}

/** Opens the store, or explains in one line which setting to change. */
function openOrRefuse(url: string, options: StoreOptions): OpenedStore {
  try {
    return openStore(url, options);
  } catch (err) {
    throw new StartupError('DATABASE_URL', `DATABASE_URL: cannot open or create the SQLite database at ${url.replace(/^(file|sqlite):(\/\/)?/, '')} (${systemReason(err)}). Point DATABASE_URL at a file in a folder this process can write, e.g. file:./data/incidents.db.`);
  }
}

/** One probe of Slack when circuits wait to be tried again; its success closes them. */
async function probeCircuits(api: SlackApi, breakers: CircuitBreakers, clock: () => number, logger: Logger): Promise<void> {
  if (breakers.probeDue(clock()).length === 0) return;
  try {
    await api.web.api.test();
    const closed = breakers.probeSucceeded(clock());
    if (closed.length > 0) logger.info({ closed }, 'Slack answers again: closed the circuits waiting for a probe');
  } catch {
    // Still down: the circuits stay as they are until the next probe.
  }
}
