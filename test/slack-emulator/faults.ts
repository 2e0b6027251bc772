import type { Args } from './args.js';

/** A failure the emulator can inject into Web API calls. */
export type Fault =
  | { status: number; retryAfter?: number; body?: string }
  | { error: string; extra?: Record<string, unknown> }
  | { delayMs: number }
  /** Holds the call until `until` settles, then answers normally: "still waiting" for exactly as long as a test needs. */
  | { until: Promise<unknown> }
  /** Slack applies the call after `lateMs` whether or not the client is still waiting, then answers if it is (a slow Slack). */
  | { lateMs: number }
  | { hang: true }
  | { reset: true };

/** Which calls an injected fault applies to and how often (default: once). */
export interface InjectOptions {
  times?: number;
  match?: (args: Args) => boolean;
}

/** A fault armed by `inject`; `hits` counts the calls it answered. */
export interface InjectedFault {
  method: string;
  fault: Fault;
  remaining: number;
  hits: number;
  match?: (args: Args) => boolean;
}

/** Short human description of a fault, stored on call records. */
export function describeFault(f: Fault): string {
  if ('status' in f) return f.retryAfter !== undefined ? `status ${f.status} retry-after ${f.retryAfter}` : `status ${f.status}`;
  if ('error' in f) return `error ${f.error}`;
  if ('delayMs' in f) return `delay ${f.delayMs}ms`;
  if ('until' in f) return 'held';
  if ('lateMs' in f) return `late ${f.lateMs}ms`;
  if ('hang' in f) return 'hang';
  return 'reset';
}

/** The armed faults, consumed in the order they were injected. */
export class FaultPlan {
  private faults: InjectedFault[] = [];

  /** Arms a fault for a method (or `*` for every method). */
  add(method: string, fault: Fault, opts: InjectOptions = {}): InjectedFault {
    const entry: InjectedFault = { method, fault, remaining: opts.times ?? 1, hits: 0, ...(opts.match ? { match: opts.match } : {}) };
    this.faults.push(entry);
    return entry;
  }

  /** The fault that applies to this call, if any, consuming one of its uses. */
  take(method: string, args: Args): Fault | undefined {
    for (const f of this.faults) {
      if (f.remaining <= 0) continue;
      if (f.method !== '*' && f.method !== method) continue;
      if (f.match && !f.match(args)) continue;
      f.remaining--;
      f.hits++;
      return f.fault;
    }
    return undefined;
  }

  /** Disarms every fault. */
  clear(): void {
    this.faults = [];
  }
}

/** Rate limit settings of one method. */
export interface RateLimit {
  perChannelPerSecond?: number;
  perMinute?: number;
}

/** Sliding-window rate limiter answering a Retry-After (seconds, rounded up). */
export class RateLimiter {
  private limits = new Map<string, RateLimit>();
  private hits = new Map<string, number[]>();

  /** Sets (or with null removes) the limit of a method. */
  set(method: string, limit: RateLimit | null): void {
    if (limit) this.limits.set(method, limit);
    else this.limits.delete(method);
  }

  /** Seconds to wait when this call is over the limit, else undefined (and the call is counted). */
  check(method: string, args: Args, now: number): number | undefined {
    const limit = this.limits.get(method);
    if (!limit) return undefined;
    const channel = String(args.channel ?? args.channel_id ?? '');
    const windows: Array<{ key: string; max: number; spanMs: number }> = [];
    if (limit.perChannelPerSecond !== undefined) windows.push({ key: `${method}|${channel}|1s`, max: limit.perChannelPerSecond, spanMs: 1000 });
    if (limit.perMinute !== undefined) windows.push({ key: `${method}|60s`, max: limit.perMinute, spanMs: 60_000 });
    let waitMs = 0;
    for (const w of windows) {
      const recent = (this.hits.get(w.key) ?? []).filter((t) => now - t < w.spanMs);
      this.hits.set(w.key, recent);
      if (recent.length >= w.max) {
        const oldest = recent[recent.length - w.max] ?? now;
        waitMs = Math.max(waitMs, oldest + w.spanMs - now);
      }
    }
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    for (const w of windows) this.hits.get(w.key)?.push(now);
    return undefined;
  }

  /** Removes all limits and history. */
  clear(): void {
    this.limits.clear();
    this.hits.clear();
  }
}
