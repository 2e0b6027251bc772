/** The one door to an HTTP target other than Slack (PagerDuty, Statuspage, GitHub): timeout, breaker per operation, Retry-After, metrics, classified failures. */
import type { Target } from '../app/effects.js';
import type { Metrics } from '../observability/metrics.js';
import type { CircuitBreakers } from '../slack/circuit-breaker.js';
import { TargetCallError } from './failure.js';

/** An answer from the target (2xx, or a 4xx the caller wants to look at itself). */
export interface TargetResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** One request. */
export interface TargetRequest {
  /** Names the breaker and the metrics series, e.g. `enqueue`, `create_incident`. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** 4xx statuses the caller handles itself instead of giving up (e.g. 404 when looking something up). */
  accept?: number[];
}

/** Default wait when a 429 carries no Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 5_000;

/** Reads `Retry-After` (seconds or an HTTP date) into ms; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  const secs = Number(value.trim());
  if (Number.isFinite(secs) && secs >= 0) return Math.min(Math.ceil(secs * 1000), 3_600_000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.min(Math.max(at - now, 0), 3_600_000);
}

/** A JSON-over-HTTP client for one target; every failure thrown as a TargetCallError the outbox worker understands. */
export class TargetHttpClient {
  constructor(
    readonly target: Target,
    private readonly breakers: CircuitBreakers,
    private readonly metrics: Metrics,
    private readonly clock: () => number = Date.now,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Sends one request; resolves on 2xx (or an accepted status), throws a classified TargetCallError otherwise. */
  async send(req: TargetRequest): Promise<TargetResponse> {
    const op = req.operation;
    const admitted = this.breakers.admit(op, this.clock());
    if (!admitted.ok) {
      this.count(op, 'circuit_open');
      throw new TargetCallError(this.target, op, { kind: 'circuit_open', retryInMs: admitted.retryInMs });
    }
    let res: Response;
    try {
      res = await fetch(req.url, {
        method: req.method,
        headers: { accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      // No answer (refused, reset, timeout): the request may or may not have arrived, so the retry must be safe to repeat.
      this.breakers.failure(op, this.clock());
      this.count(op, 'network');
      throw new TargetCallError(this.target, op, { kind: 'transient', detail: `no answer: ${(err as Error).message}`.slice(0, 200) });
    }
    const text = await res.text().catch(() => '');
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
    if (res.ok || req.accept?.includes(res.status)) {
      this.breakers.success(op);
      this.count(op, String(res.status));
      return { status: res.status, headers: res.headers, body };
    }
    this.count(op, String(res.status));
    if (res.status === 429) {
      // Being told to slow down says the target is up: not a breaker failure.
      this.breakers.success(op);
      const wait = retryAfterMs(res.headers.get('retry-after'), this.clock()) ?? DEFAULT_RETRY_AFTER_MS;
      throw new TargetCallError(this.target, op, { kind: 'rate_limited', retryAfterMs: Math.max(wait, 250) });
    }
    if (res.status >= 500 || res.status === 408) {
      this.breakers.failure(op, this.clock());
      throw new TargetCallError(this.target, op, { kind: 'transient', detail: `http_${res.status}` });
    }
    this.breakers.success(op);
    throw new TargetCallError(this.target, op, { kind: 'permanent', code: `http_${res.status}: ${describe(body)}`.slice(0, 300) });
  }

  private count(operation: string, outcome: string): void {
    this.metrics.targetCalls.inc({ target: this.target, operation, outcome });
  }
}

function describe(body: unknown): string {
  if (typeof body === 'string') return body;
  try { return JSON.stringify(body); } catch { return 'unreadable body'; }
}
