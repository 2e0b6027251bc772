/** The Bolt app: HTTP receiver (or Socket Mode) plus /healthz and /metrics, with every listener registered. */
import http from 'node:http';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { Config } from '../config.js';
import { StartupError } from '../startup-error.js';
import { SocketLink, type SocketLinkRetry, type SocketLinkStatus } from './socket-link.js';
import type { Logger } from '../observability/logger.js';
import type { ListenerDeps } from './listeners/context.js';
import { registerActions } from './listeners/actions.js';
import { registerCommands } from './listeners/commands.js';
import { registerShortcuts } from './listeners/shortcuts.js';
import { registerViews } from './listeners/views.js';
import { answerRefusals } from './listeners/refusals.js';
import { refuseWhileUnhealthy } from './listeners/refuse-while-unhealthy.js';
import { timeAcks } from './ack-timing.js';
import { commitEnvelope } from './listeners/inbox.js';
import { SignatureGuard } from './request-guard.js';

/** Answers for the operational routes. */
export interface OpsRoutes {
  health(): Promise<{ status: number; body: unknown }>;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** The /hooks/* router (alerts, PagerDuty, GitHub): true when it took the request. Served in both modes. */
  hooks?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
}

/** A started or startable bot front door. */
export interface SlackFrontDoor {
  app: App;
  /** The Socket Mode link's status; null in HTTP mode. */
  socket(): SocketLinkStatus | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Socket Mode pacing; unset means Slack's client defaults and SocketLink's backoff (5 s doubling to 60 s). */
export interface SocketTuning {
  /**
   * The socket client's `clientPingTimeout` (Slack's default 5 s): how long a pong may take, and also the client's wait
   * before it reconnects after a `disconnect` or a drop (that timeout times the consecutive failures).
   */
  clientPingTimeoutMs?: number;
  /** SocketLink's backoff after a refused or failed reconnect. */
  retry?: SocketLinkRetry;
}

/** Builds the Bolt app for the configured mode. */
export function createSlackApp(config: Config, l: ListenerDeps, ops: OpsRoutes, socket: SocketTuning = {}): SlackFrontDoor {
  const boltLogger = toBoltLogger(l.logger);
  const authorize = async () => ({ botToken: config.botToken });
  const clientOptions = config.slackApiUrl ? { slackApiUrl: config.slackApiUrl, retryConfig: { retries: 1 }, timeout: 2500 } : { retryConfig: { retries: 1 }, timeout: 2500 };
  const handler = opsHandler(ops, l.logger);
  // No conversation store: the bot keeps no per-conversation state in Bolt, and Bolt's default in-memory store answers
  // every request with a rejected promise and a new Error (a stack trace each time: a tenth of the bot's CPU per command).
  const convoStore = false;
  let app: App;
  let extraServer: http.Server | null = null;
  let link: SocketLink | null = null;

  if (config.appToken) {
    const receiver = new SocketModeReceiver({
      appToken: config.appToken,
      logger: boltLogger,
      clientPingTimeout: socket.clientPingTimeoutMs,
      // The socket client has its own WebClient for apps.connections.open: without these it calls slack.com whatever
      // SLACK_API_URL says. A copy, because the client writes into the object it is given.
      installerOptions: { clientOptions: socketClientOptions(config) },
      // When the envelope arrived, so listeners budget against Slack's 3 s as in HTTP mode.
      customPropertiesExtractor: () => ({ receivedAt: performance.now() }),
    });
    commitEventsBeforeAck(receiver, l);
    link = new SocketLink(receiver, l.logger, Date.now, socket.retry);
    app = new App({ receiver, authorize, clientOptions, logger: boltLogger, convoStore });
    // /healthz and /metrics on PORT, served apart from Slack so they answer before (and while) the socket is down.
    extraServer = http.createServer((req, res) => {
      if (ops.hooks?.(req, res)) return;
      if (!handler(req, res)) { res.writeHead(404).end(); }
    });
  } else {
    const receiver = new HTTPReceiver({
      signingSecret: config.signingSecret!,
      endpoints: '/slack/events',
      logger: boltLogger,
      customRoutes: [
        { path: '/healthz', method: ['GET'], handler: (req, res) => void handler(req, res) },
        { path: '/metrics', method: ['GET'], handler: (req, res) => void handler(req, res) },
        ...Object.entries(ops.hooks ?? {}).map(([path, hook]) => ({ path, method: ['POST'], handler: hook })),
      ],
      // Slack allows 3 s; give up on a stuck listener well before that so Slack sees an answer.
      unhandledRequestTimeoutMillis: 2900,
      // When the request arrived (stamped by guardNullBodies), so listeners can budget against Slack's 3 s.
      customPropertiesExtractor: (req) => ({ receivedAt: (req as { receivedAt?: number }).receivedAt ?? performance.now() }),
      // Only Bolt reading a payload of an unexpected shape fails here (listener errors go to app.error): a 400, not a 500.
      processEventErrorHandler: async ({ error, response }) => {
        l.logger.warn({ err: String(error) }, 'malformed Slack request; answered 400');
        if (!response.headersSent) response.writeHead(400).end();
        return false;
      },
    });
    guardRequests(receiver, new SignatureGuard(config.signingSecret!), l, ops);
    app = new App({ receiver, authorize, clientOptions, logger: boltLogger, convoStore, processBeforeResponse: false });
  }

  timeAcks(app, l.metrics);
  // The one error path: listeners (and the refusal while the database is unhealthy) throw a UserError, this answers it as the surface expects.
  app.use(answerRefusals(l));
  app.use(refuseWhileUnhealthy(l));
  // One Bolt listener per kind (Bolt runs every listener's matchers on every request); each routes on its id inside.
  registerCommands(app, l);
  registerActions(app, l);
  registerViews(app, l);
  registerShortcuts(app, l);
  app.error(async (err) => {
    l.logger.error({ err: err.message, code: (err as { code?: string }).code }, 'listener error');
  });

  return {
    app,
    socket: () => link?.current() ?? null,
    async start() {
      if (extraServer) {
        await listen(extraServer, config.port);
        await app.start().catch((err: unknown) => { throw socketStartError(err); });
      } else {
        await app.start(config.port);
      }
    },
    async stop() {
      link?.stop();
      await app.stop();
      if (extraServer) await new Promise((resolve) => extraServer!.close(resolve));
    },
  };
}

/** WebClient options of the Socket Mode client: the configured API URL; retries as Slack's SDK sets them for reconnecting. */
function socketClientOptions(config: Config): { slackApiUrl?: string; timeout: number; retryConfig: { retries: number; factor: number } } {
  return { ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}), timeout: 10_000, retryConfig: { retries: 100, factor: 1.3 } };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => { server.off('error', reject); resolve(); });
  });
}

/** A refused app-level token stops start-up with one line naming the setting and what to do; other errors pass through. */
function socketStartError(err: unknown): Error {
  const code = (err as { data?: { error?: string } }).data?.error;
  if (code && ['invalid_auth', 'not_authed', 'missing_args', 'account_inactive', 'team_disabled', 'forbidden_team', 'not_allowed_token_type'].includes(code)) {
    return new StartupError('SLACK_APP_TOKEN', `SLACK_APP_TOKEN was refused by Slack (apps.connections.open: ${code}). Create an app-level token with the connections:write scope (Basic Information → App-Level Tokens) and set it as SLACK_APP_TOKEN.`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** The socket client's envelope as the receiver gets it. */
interface SocketEnvelopeArgs { type: string; body: unknown; ack: (response?: Record<string, unknown>) => Promise<void> }

/**
 * Socket Mode counterpart of the HTTP inbox: an events_api envelope is acked only after its event is committed (Bolt
 * acks events before any listener runs, so a crash in between would lose it). Unacked, Slack re-delivers it in 3 s.
 */
function commitEventsBeforeAck(receiver: SocketModeReceiver, l: ListenerDeps): void {
  const client = receiver.client;
  const bolt = client.listeners('slack_event') as ((args: SocketEnvelopeArgs) => Promise<void>)[];
  client.removeAllListeners('slack_event');
  client.on('slack_event', async (args: SocketEnvelopeArgs) => {
    if (args.type !== 'events_api') {
      for (const listener of bolt) await listener(args);
      return;
    }
    const receivedAt = performance.now();
    try {
      await commitEnvelope(l, args.body as Parameters<typeof commitEnvelope>[1]);
    } catch (err) {
      l.logger.error({ err }, 'could not store an event; not acknowledged, so Slack delivers it again');
      return;
    }
    await args.ack().catch((err: unknown) => l.logger.warn({ err: String(err) }, 'event stored but its ack was not sent; the re-delivery is a no-op'));
    l.metrics.ackLatency.observe({ type: 'event' }, (performance.now() - receivedAt) / 1000);
  });
}

const BODY_LIMIT = 4 * 1024 * 1024; // Bolt's own default

/**
 * Runs before Bolt on every POST: answers 400 to a body that parses to JSON null (Bolt would throw outside any handler),
 * refuses stale, forged or replayed signatures on /slack/events with 401, and commits Events API events to the inbox
 * before answering them (Bolt would ack an event before any listener runs, so a crash could lose it).
 */
function guardRequests(receiver: HTTPReceiver, guard: SignatureGuard, l: ListenerDeps, ops: OpsRoutes): void {
  const bolt = receiver.requestListener;
  // Bolt throws for a path it does not serve; thrown from inside our 'end' callback that would end the process.
  const inner = (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      bolt(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
    }
  };
  receiver.requestListener = (req, res) => {
    if (ops.hooks?.(req, res)) return; // hooks read their own body (1 MiB limit, raw bytes for signatures)
    if (req.method !== 'POST') return inner(req, res);
    const receivedAt = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size <= BODY_LIMIT) chunks.push(c); });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (size > BODY_LIMIT) { res.writeHead(413).end(); return; }
      const raw = Buffer.concat(chunks);
      const isSlack = (req.url ?? '').split('?')[0] === '/slack/events';
      if (isSlack) {
        const verdict = guard.check(header(req, 'x-slack-request-timestamp'), header(req, 'x-slack-signature'), raw);
        if (verdict) {
          l.logger.warn({ reason: verdict }, 'refused a Slack request: bad, stale or replayed signature');
          res.writeHead(401).end();
          return;
        }
      }
      let text: string | null = raw.toString();
      if (req.headers['content-type'] === 'application/x-www-form-urlencoded') text = new URLSearchParams(text).get('payload');
      if (text !== null && text.trim() === 'null') { res.writeHead(400).end(); return; }
      if (isSlack && text !== null && String(req.headers['content-type']).startsWith('application/json')) {
        let body: { type?: string } | null = null;
        try { body = JSON.parse(text) as { type?: string }; } catch { /* Bolt answers malformed bodies */ }
        if (body?.type === 'event_callback') {
          // Answered only after the commit; a failed commit answers 500 so Slack delivers the event again.
          commitEnvelope(l, body).then(
            () => { res.writeHead(200).end(); l.metrics.ackLatency.observe({ type: 'event' }, (performance.now() - receivedAt) / 1000); },
            (err: unknown) => { l.logger.error({ err }, 'could not store an event; Slack will retry it'); res.writeHead(500).end(); },
          );
          return;
        }
      }
      Object.assign(req, { rawBody: raw, receivedAt }); // Bolt reads a pre-buffered body from here; receivedAt reaches listeners' context
      inner(req, res);
    });
  };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function opsHandler(ops: OpsRoutes, logger: Logger) {
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || (path !== '/healthz' && path !== '/metrics')) return false;
    const answer = path === '/healthz'
      ? ops.health().then((h) => { res.writeHead(h.status, { 'content-type': 'application/json' }).end(JSON.stringify(h.body)); })
      : ops.metrics().then((m) => { res.writeHead(200, { 'content-type': m.contentType }).end(m.body); });
    answer.catch((err) => {
      logger.error({ err }, `${path} failed`);
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error' }));
    });
    return true;
  };
}

function toBoltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  return {
    debug: (...m: unknown[]) => child.debug(m.map(String).join(' ')),
    info: (...m: unknown[]) => child.info(m.map(String).join(' ')),
    warn: (...m: unknown[]) => child.warn(m.map(String).join(' ')),
    error: (...m: unknown[]) => child.error(m.map(String).join(' ')),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
