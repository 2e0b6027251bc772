/** A circuit breaker per Slack method: stop hammering a failing method, probe it once, close on success. */

/** Breaker state as shown in /healthz and /metrics. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** Thresholds of the breakers. */
export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
}

interface Circuit { state: CircuitState; failures: number; openedAt: number; probing: boolean }

/** Breakers for all methods; time is passed in so the logic is testable without timers. */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly options: BreakerOptions = { failureThreshold: 5, openMs: 10_000 }) {}

  /** How long a circuit stays open before it may be probed. */
  get openMs(): number {
    return this.options.openMs;
  }

  private get(method: string): Circuit {
    let c = this.circuits.get(method);
    if (!c) this.circuits.set(method, (c = { state: 'closed', failures: 0, openedAt: 0, probing: false }));
    return c;
  }

  /** Whether a call may go out now; in half-open only one probe at a time. Returns ms to wait otherwise. */
  admit(method: string, now: number): { ok: true } | { ok: false; retryInMs: number } {
    const c = this.get(method);
    if (c.state === 'open') {
      const left = c.openedAt + this.options.openMs - now;
      if (left > 0) return { ok: false, retryInMs: left };
      c.state = 'half_open';
      c.probing = false;
    }
    if (c.state === 'half_open') {
      if (c.probing) return { ok: false, retryInMs: 250 };
      c.probing = true;
    }
    return { ok: true };
  }

  /** Records a success: closes the circuit. */
  success(method: string): void {
    const c = this.get(method);
    c.state = 'closed';
    c.failures = 0;
    c.probing = false;
  }

  /** Records a failure that says Slack (not our request) is unwell; opens after the threshold or a failed probe. */
  failure(method: string, now: number): void {
    const c = this.get(method);
    c.failures += 1;
    c.probing = false;
    if (c.state === 'half_open' || c.failures >= this.options.failureThreshold) {
      c.state = 'open';
      c.openedAt = now;
    }
  }

  /** Methods whose open period is over, so a probe may tell whether Slack is back. */
  probeDue(now: number): string[] {
    return [...this.circuits].filter(([, c]) => c.state !== 'closed' && !c.probing && (c.state === 'half_open' || now - c.openedAt >= this.options.openMs)).map(([m]) => m);
  }

  /**
   * A probe call to Slack succeeded: circuits whose open period is over close, so a method nobody calls does not keep
   * /healthz degraded for ever. They close on probation: the probe spoke for Slack, not for the method, so the method's
   * first failure opens its circuit again (one failing call per open period, as a half-open probe would), and its first
   * success ends the probation.
   */
  probeSucceeded(now: number): string[] {
    const closed = this.probeDue(now);
    for (const m of closed) {
      this.success(m);
      this.get(m).failures = this.options.failureThreshold - 1;
    }
    return closed;
  }

  /** Current state of one method's circuit. */
  state(method: string): CircuitState {
    return this.circuits.get(method)?.state ?? 'closed';
  }

  /** Every circuit that is not closed. */
  unhealthy(): Record<string, CircuitState> {
    const out: Record<string, CircuitState> = {};
    for (const [m, c] of this.circuits) if (c.state !== 'closed') out[m] = c.state;
    return out;
  }

  /** All known circuits. */
  all(): Record<string, CircuitState> {
    return Object.fromEntries([...this.circuits].map(([m, c]) => [m, c.state]));
  }
}

/** Exponential backoff with full jitter, capped: attempt 0 waits up to `baseMs`. */
export function backoffMs(attempt: number, random: () => number, baseMs = 500, capMs = 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.max(50, Math.floor(random() * ceiling));
}
