/** The bot's one door to the Slack Web API: timeouts, no hidden retries, a breaker per method, metrics and logs on every call. */
import { ErrorCode, WebClient } from '@slack/web-api';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { CircuitBreakers } from './circuit-breaker.js';

/**
 * The Web API methods the bot uses, typed as WebClient types them. Every Slack call in the bot goes through this
 * (outbox deliveries, modals, App Home, start-up and probes); a method not listed here cannot be called.
 */
export interface SlackWeb {
  api: Pick<WebClient['api'], 'test'>;
  auth: Pick<WebClient['auth'], 'test'>;
  chat: Pick<WebClient['chat'], 'postMessage' | 'update' | 'getPermalink'>;
  conversations: Pick<WebClient['conversations'], 'archive' | 'create' | 'history' | 'invite' | 'join' | 'list' | 'open' | 'replies' | 'setTopic'>;
  files: Pick<WebClient['files'], 'list' | 'uploadV2'>;
  pins: Pick<WebClient['pins'], 'add'>;
  users: Pick<WebClient['users'], 'info'>;
  views: Pick<WebClient['views'], 'open' | 'publish' | 'update'>;
}

// The same list as data, to build the guarded methods from; `satisfies` keeps it in step with SlackWeb.
const METHODS = {
  api: ['test'],
  auth: ['test'],
  chat: ['postMessage', 'update', 'getPermalink'],
  conversations: ['archive', 'create', 'history', 'invite', 'join', 'list', 'open', 'replies', 'setTopic'],
  files: ['list', 'uploadV2'],
  pins: ['add'],
  users: ['info'],
  views: ['open', 'publish', 'update'],
} as const satisfies { [F in keyof SlackWeb]: readonly (keyof SlackWeb[F])[] };
type Listed = { [F in keyof typeof METHODS]: (typeof METHODS)[F][number] };
// Compile-time check the other way round: every method of SlackWeb is in METHODS.
const everyMethodListed: { [F in keyof SlackWeb]: Exclude<keyof SlackWeb[F], Listed[F]> extends never ? true : false } = {
  api: true, auth: true, chat: true, conversations: true, files: true, pins: true, users: true, views: true,
};
void everyMethodListed;

/** The Web API names of every method the door offers (`chat.postMessage`, …). */
export const SLACK_METHODS: readonly string[] = Object.entries(METHODS).flatMap(([family, names]) => names.map((n: string) => `${family}.${n}`));

/** Why a Slack call failed, in the terms the outbox decides on. */
export type CallFailure =
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'circuit_open'; retryInMs: number }
  /** `settleMs`: the call may still be applied by Slack that long after it failed (a timeout), so a retry must not look sooner. */
  | { kind: 'transient'; detail: string; settleMs?: number }
  | { kind: 'slack_error'; code: string };

/** A failed Slack call, classified. */
export class SlackCallError extends Error {
  constructor(readonly method: string, readonly failure: CallFailure) {
    super(`${method}: ${failure.kind === 'slack_error' ? failure.code : failure.kind === 'transient' ? failure.detail : failure.kind}`);
  }
}

// Error codes that mean Slack is unwell rather than that our request is wrong.
const TRANSIENT_CODES = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'team_added_to_org']);

/** Error codes that mean Slack refuses the bot token itself: nothing will work until an operator fixes it. */
export const TOKEN_REFUSALS: ReadonlySet<string> = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/** Settings of the client. */
export interface SlackApiOptions {
  token: string;
  slackApiUrl: string | null;
  timeoutMs?: number;
  /** Timeout of the calls a person waits on with a trigger id (views.open, views.update): Slack lets a trigger live 3 s. */
  interactiveTimeoutMs?: number;
}

// Called while a person waits on a trigger id: a short timeout, so they hear of a failure while the trigger still lives.
const INTERACTIVE: ReadonlySet<string> = new Set(['views.open', 'views.update']);

/** Wraps WebClient: every call classified, counted, logged and guarded by the method's circuit breaker. */
export class SlackApi {
  /** The guarded Web API methods: `api.web.chat.postMessage({...})`. Failures throw SlackCallError. */
  readonly web: SlackWeb;
  private readonly client: WebClient;
  private readonly interactive: WebClient;
  /** Set when Slack refused the bot token at run time (shown by /healthz and /metrics); cleared by the next accepted call. */
  tokenRefused: { code: string; at: number } | null = null;
  private readonly timeoutMs: number;
  private readonly interactiveTimeoutMs: number;

  constructor(
    options: SlackApiOptions,
    private readonly breakers: CircuitBreakers,
    private readonly metrics: Metrics,
    private readonly clock: () => number = Date.now,
    private readonly logger: Logger | null = null,
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.interactiveTimeoutMs = Math.min(this.timeoutMs, options.interactiveTimeoutMs ?? 2500);
    const client = (timeout: number) => new WebClient(options.token, {
      ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
      // The outbox owns retries (durable, with backoff and Retry-After); the client must not retry behind its back.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout,
      logger: quietLogger,
    });
    this.client = client(this.timeoutMs);
    this.interactive = client(this.interactiveTimeoutMs);
    this.web = this.guardAll();
  }

  /** Each listed WebClient method, wrapped in guard() under its Web API name (`chat.postMessage`). */
  private guardAll(): SlackWeb {
    const web: Record<string, Record<string, (args?: unknown) => Promise<unknown>>> = {};
    type Untyped = Record<string, Record<string, (args?: unknown) => Promise<unknown>>>;
    for (const [family, names] of Object.entries(METHODS)) {
      const guarded: Record<string, (args?: unknown) => Promise<unknown>> = (web[family] = {});
      for (const name of names as readonly string[]) {
        const method = `${family}.${name}`;
        const interactive = INTERACTIVE.has(method);
        const call = ((interactive ? this.interactive : this.client) as unknown as Untyped)[family]![name]!;
        const timeoutMs = interactive ? this.interactiveTimeoutMs : this.timeoutMs;
        guarded[name] = (args?: unknown) => this.guard(method, () => call(args), timeoutMs);
      }
    }
    return web as unknown as SlackWeb;
  }

  private async guard<T>(method: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    const admitted = this.breakers.admit(method, this.clock());
    if (!admitted.ok) {
      this.metrics.slackCalls.inc({ method, outcome: 'circuit_open' });
      this.logger?.debug({ method, outcome: 'circuit_open', retryInMs: admitted.retryInMs }, 'slack call refused: circuit open');
      throw new SlackCallError(method, { kind: 'circuit_open', retryInMs: admitted.retryInMs });
    }
    const started = performance.now();
    try {
      const result = await fn();
      this.breakers.success(method);
      this.metrics.slackCalls.inc({ method, outcome: 'ok' });
      this.logger?.debug({ method, outcome: 'ok', ms: Math.round(performance.now() - started) }, 'slack call');
      if (this.tokenRefused) this.tokenAccepted();
      return result;
    } catch (err) {
      const failure = classify(err);
      // We stopped waiting, Slack did not necessarily stop working: an answer can come after the timeout (issue 12 item 4).
      if (failure.kind === 'transient' && isTimeout(err)) failure.settleMs = timeoutMs;
      if (failure.kind === 'transient') this.breakers.failure(method, this.clock());
      else this.breakers.success(method); // Slack answered: it is up, whatever it thought of our request.
      const outcome = failure.kind === 'slack_error' ? failure.code : failure.kind;
      this.metrics.slackCalls.inc({ method, outcome });
      this.logger?.debug({ method, outcome, ms: Math.round(performance.now() - started) }, 'slack call failed');
      if (failure.kind === 'slack_error' && TOKEN_REFUSALS.has(failure.code)) {
        if (!this.tokenRefused) this.logger?.warn({ method, code: failure.code }, 'Slack refused the bot token; nothing reaches Slack until an operator fixes SLACK_BOT_TOKEN');
        this.tokenRefused = { code: failure.code, at: this.clock() };
        this.metrics.slackTokenRefused.set(1);
      }
      throw new SlackCallError(method, failure);
    }
  }

  private tokenAccepted(): void {
    this.tokenRefused = null;
    this.metrics.slackTokenRefused.set(0);
  }
}

/** Whether the client gave up waiting (the request was sent; Slack may still apply it). */
function isTimeout(err: unknown): boolean {
  const e = err as { message?: string; original?: { code?: string; message?: string } };
  return e.original?.code === 'ECONNABORTED' || /timeout/i.test(`${e.original?.message ?? ''} ${e.message ?? ''}`);
}

/** Sorts a WebClient error into rate-limited, transient (5xx, timeout, network) or a Slack error code. */
export function classify(err: unknown): CallFailure {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string; original?: { message?: string } };
  if (e.code === ErrorCode.RateLimitedError) return { kind: 'rate_limited', retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 };
  if (e.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    return TRANSIENT_CODES.has(code) ? { kind: 'transient', detail: code } : { kind: 'slack_error', code };
  }
  if (e.code === ErrorCode.HTTPError) return { kind: 'transient', detail: `http_${e.statusCode ?? 'error'}` };
  return { kind: 'transient', detail: (e.original?.message ?? e.message ?? 'request failed').slice(0, 200) };
}

const noop = () => undefined;
const quietLogger = { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => 'error' as never, setName: noop };
