/** Delivers one target's share of the outbox (Slack, PagerDuty, …): bounded concurrency, per-lane order, backoff with jitter, Retry-After. One worker per target, so a target that is down never holds up another. */
import { EventEmitter } from 'node:events';
import type { Target } from '../app/effects.js';
import type { OutboxItem, OutboxQueue, Repos } from '../app/ports.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { backoffMs } from '../slack/circuit-breaker.js';
import { classifyFailure } from './failure.js';
import { incidentRef } from '../domain/incident.js';

/** What delivering one item achieved. */
export type DeliveryResult =
  | { outcome: 'done'; apply?: (tx: Repos) => Promise<void>; after?: () => Promise<void> }
  /** Not ready yet (e.g. the channel does not exist): try again soon without counting an attempt. */
  | { outcome: 'defer'; retryInMs: number; reason: string };

/** Delivers one item; throws a classified error (SlackCallError, TargetCallError) on failure, anything else counts as transient. */
export type Deliver = (item: OutboxItem) => Promise<DeliveryResult>;

/** Tuning of the worker. */
export interface WorkerOptions {
  concurrency: number;
  maxAttempts: number;
  idlePollMs: number;
  /** First retry waits up to this (full jitter); doubles per attempt up to `backoffCapMs`. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** The target whose items this worker claims. */
  target: Target;
}

const DEFAULTS: WorkerOptions = { concurrency: 8, maxAttempts: 200, idlePollMs: 1000, backoffBaseMs: 500, backoffCapMs: 60_000, target: 'slack' };

/** The delivery loop. Emits `delivered` (item) after each completed item and `givenUp` (item, reason) after each buried one. */
export class OutboxWorker extends EventEmitter {
  private running = false;
  private readonly inflight = new Set<Promise<void>>();
  private wake: (() => void) | null = null;
  private kicked = false;
  private timer: NodeJS.Timeout | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly options: WorkerOptions;

  constructor(
    private readonly queue: OutboxQueue,
    private readonly deliver: Deliver,
    private readonly clock: () => number,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    options: Partial<WorkerOptions> = {},
    private readonly random: () => number = Math.random,
  ) {
    super();
    this.options = { ...DEFAULTS, ...options };
  }

  /** Resumes what a crash left in flight and starts delivering. */
  async start(): Promise<void> {
    const recovered = await this.queue.recover(this.options.target);
    if (recovered > 0) this.logger.warn({ recovered, target: this.options.target }, 'outbox: resuming deliveries left in flight by a previous run');
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Wakes the loop now (new work was committed). */
  kick(): void {
    if (this.wake) this.wake();
    else this.kicked = true;
  }

  /** Stops claiming and waits for deliveries in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loopDone;
    await Promise.allSettled([...this.inflight]);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const free = this.options.concurrency - this.inflight.size;
        const items = free > 0 ? await this.queue.claim(this.clock(), free, this.options.target) : [];
        for (const item of items) {
          const p = this.run(item).finally(() => {
            this.inflight.delete(p);
            this.kick();
          });
          this.inflight.add(p);
        }
        if (items.length === 0 || this.inflight.size >= this.options.concurrency) await this.sleep();
      } catch (err) {
        this.logger.error({ err }, 'outbox: loop error; retrying');
        await this.sleep(500);
      }
    }
  }

  private async sleep(maxMs?: number): Promise<void> {
    const full = this.inflight.size >= this.options.concurrency;
    // When full, only a finishing delivery (which kicks) frees a slot, so there is nothing to poll for.
    const next = full ? null : await this.queue.nextReadyAt(this.options.target).catch(() => null);
    // Ready items that were not claimed wait behind their lane's head: a finishing delivery kicks us.
    const untilNext = next === null || next <= this.clock() ? this.options.idlePollMs : next - this.clock();
    const ms = Math.min(maxMs ?? this.options.idlePollMs, untilNext);
    if (this.kicked) {
      this.kicked = false;
      return;
    }
    await new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = null;
        if (this.timer) clearTimeout(this.timer);
        resolve();
      };
      this.timer = setTimeout(() => this.wake?.(), Math.max(ms, 5));
    });
  }

  private async run(item: OutboxItem): Promise<void> {
    const log = this.logger.child({ target: this.options.target, incident: 'incidentId' in item.effect ? incidentRef(item.effect.incidentId) : undefined, outbox: item.id, effect: item.effect.kind });
    try {
      const result = await this.deliver(item);
      if (result.outcome === 'defer') {
        await this.queue.retry(item.id, this.clock() + result.retryInMs, result.reason, false);
        return;
      }
      await this.queue.complete(item.id, this.clock(), result.apply);
      // Best-effort follow-up that must not precede the commit (e.g. telling a person it is done).
      await result.after?.().catch((err: unknown) => log.warn({ err: String(err) }, 'outbox: follow-up after delivery failed'));
      this.metrics.outboxDelivered.inc({ kind: item.effect.kind, outcome: 'delivered' });
      this.metrics.targetDelivered.inc({ target: this.options.target, outcome: 'delivered' });
      if (item.attempts > 0) log.info({ attempts: item.attempts + 1 }, 'outbox: delivered after retries');
      this.emit('delivered', item);
    } catch (err) {
      // Recording the failure can fail too (database trouble): log it; the item resumes after a restart (recover).
      await this.fail(item, err, log).catch((e: unknown) => log.error({ err: e }, 'outbox: could not record a failed delivery'));
    }
  }

  private async fail(item: OutboxItem, err: unknown, log: Logger): Promise<void> {
    const now = this.clock();
    const f = classifyFailure(err);
    const target = this.options.target;
    const kind = item.effect.kind;
    const detail = err instanceof Error ? err.message : String(err);
    if (f.kind === 'rate_limited') {
      this.metrics.outboxRetries.inc({ kind, reason: 'rate_limited' });
      this.metrics.targetRetries.inc({ target, reason: 'rate_limited' });
      log.warn({ err: detail, retryAfterMs: f.retryAfterMs }, `outbox: rate limited by ${TARGET_NAMES[target]}; waiting as told`);
      return this.queue.retry(item.id, now + f.retryAfterMs, detail, false);
    }
    if (f.kind === 'circuit_open') {
      this.metrics.outboxRetries.inc({ kind, reason: 'circuit_open' });
      this.metrics.targetRetries.inc({ target, reason: 'circuit_open' });
      return this.queue.retry(item.id, now + f.retryInMs, detail, false);
    }
    if (f.kind === 'permanent') {
      this.metrics.outboxDelivered.inc({ kind, outcome: 'failed' });
      this.metrics.targetDelivered.inc({ target, outcome: 'failed' });
      log.error({ err: detail, error: f.code }, `outbox: ${TARGET_NAMES[target]} refused this delivery; giving up on it`);
      return this.giveUp(item, now, detail);
    }
    if (item.attempts + 1 >= this.options.maxAttempts) {
      this.metrics.outboxDelivered.inc({ kind, outcome: 'failed' });
      this.metrics.targetDelivered.inc({ target, outcome: 'failed' });
      log.error({ err: detail, attempts: item.attempts + 1 }, 'outbox: giving up after too many attempts');
      return this.giveUp(item, now, detail);
    }
    // After a timeout the look-up that precedes a re-send must come after a late answer could have landed.
    const wait = Math.max(backoffMs(item.attempts, this.random, this.options.backoffBaseMs, this.options.backoffCapMs), f.kind === 'transient' ? f.settleMs ?? 0 : 0);
    this.metrics.outboxRetries.inc({ kind, reason: 'transient' });
    this.metrics.targetRetries.inc({ target, reason: 'transient' });
    log.warn({ err: detail, retryInMs: wait, attempts: item.attempts + 1 }, 'outbox: delivery failed; will retry');
    return this.queue.retry(item.id, now + wait, detail, true);
  }

  /** Buries the item and emits `givenUp` (item, reason) so the person who asked can be told: nothing is given up silently. */
  private async giveUp(item: OutboxItem, now: number, detail: string): Promise<void> {
    await this.queue.bury(item.id, now, detail);
    this.emit('givenUp', item, detail);
  }
}

const TARGET_NAMES: Record<Target, string> = { slack: 'Slack', pagerduty: 'PagerDuty', statuspage: 'Statuspage', github: 'GitHub' };
