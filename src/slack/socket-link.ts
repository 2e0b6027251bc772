/** Watches the Socket Mode link for /healthz and /metrics, and keeps reconnecting when Slack refuses a reconnect. */
import type { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../observability/logger.js';

/** Where the link stands: `refused` means Slack refused the app-level token on a reconnect. */
export type SocketLinkState = 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'stopped';

/** The link's state, when it last changed, and the last error. */
export interface SocketLinkStatus {
  state: SocketLinkState;
  since: number;
  lastError: string | null;
}

const REFUSALS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'team_disabled', 'forbidden_team', 'not_allowed_token_type']);
/** First retry after a refused or failed reconnect; doubles on each failure up to the maximum. */
export const RETRY_MIN_MS = 5000;
/** Longest wait between retries (a revoked token is retried once a minute until it is replaced). */
export const RETRY_MAX_MS = 60_000;

/** Retry pacing; production uses the defaults, tests shorten them so a reconnect takes milliseconds. */
export interface SocketLinkRetry {
  minMs?: number;
  maxMs?: number;
}

/**
 * The socket client reconnects by itself after a refresh or a drop, but a failed reconnect (a refused token, Slack
 * unreachable) ends in an unhandled rejection and no link, with nothing saying so. This keeps the state visible and
 * tries again with backoff.
 */
export class SocketLink {
  private status: SocketLinkStatus;
  private started = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly minMs: number;
  private readonly maxMs: number;
  private retryMs: number;

  /** Wraps the receiver's socket client; call before the app starts. */
  constructor(receiver: Pick<SocketModeReceiver, 'client'>, private readonly logger: Logger, private readonly clock: () => number = Date.now, retry: SocketLinkRetry = {}) {
    this.minMs = retry.minMs ?? RETRY_MIN_MS;
    this.maxMs = retry.maxMs ?? RETRY_MAX_MS;
    this.retryMs = this.minMs;
    this.status = { state: 'connecting', since: clock(), lastError: null };
    const client = receiver.client;
    client.on('connected', () => { this.started = true; this.retryMs = this.minMs; this.set('connected', null); });
    client.on('reconnecting', () => this.set('reconnecting', this.status.lastError));
    const start = client.start.bind(client);
    // The client's reconnect calls `this.start`: this instance property takes its place there too.
    client.start = async () => {
      try {
        return await start();
      } catch (err) {
        if (!this.started || this.stopped) throw err; // the first start reports to start-up; after stop nothing retries
        this.onReconnectFailed(err, () => void client.start());
        return undefined as never; // nothing awaits a reconnect: swallowed here instead of an unhandled rejection
      }
    };
  }

  /** The link's current status. */
  current(): SocketLinkStatus {
    return { ...this.status };
  }

  /** Stops retrying (the app is stopping). */
  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.set('stopped', this.status.lastError);
  }

  private onReconnectFailed(err: unknown, again: () => void): void {
    const code = (err as { data?: { error?: string } }).data?.error;
    const refused = code !== undefined && REFUSALS.has(code);
    const reason = code ?? (err instanceof Error ? err.message : String(err));
    this.set(refused ? 'refused' : 'reconnecting', reason);
    if (refused) this.logger.error({ code }, `SLACK_APP_TOKEN was refused by Slack on reconnect (apps.connections.open: ${code}); no events or commands arrive until it is replaced. Retrying in ${this.retryMs / 1000} s.`);
    else this.logger.warn({ err: reason }, `Socket Mode reconnect failed; retrying in ${this.retryMs / 1000} s`);
    this.retry = setTimeout(() => { if (!this.stopped) again(); }, this.retryMs);
    this.retry.unref();
    this.retryMs = Math.min(this.retryMs * 2, this.maxMs);
  }

  private set(state: SocketLinkState, lastError: string | null): void {
    if (this.stopped && state !== 'stopped') return;
    if (state !== this.status.state) this.status = { state, since: this.clock(), lastError };
    else this.status.lastError = lastError;
  }
}
