/** A timer ticks every SCHEDULER_TICK and fires what is due; due times live in the database, so nothing is lost across restarts. */
import type { Deps } from '../app/context.js';
import { fireDueReminders } from '../app/fire-reminders.js';
import { incidentRef } from '../domain/incident.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/**
 * The time of the next tick after `now` on the grid origin + n·tickMs.
 * A grid (not "now + tickMs") keeps the cadence exact: a slow tick or a late timer does not push later ticks back,
 * and ticks missed while the process was busy are skipped rather than fired in a burst.
 */
export function nextTickAt(origin: number, tickMs: number, now: number): number {
  return origin + (Math.floor((now - origin) / tickMs) + 1) * tickMs;
}

/** The reminder scheduler. */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;

  constructor(private readonly deps: Deps, private readonly tickMs: number, private readonly logger: Logger, private readonly metrics: Metrics) {}

  /**
   * Starts ticking, with one tick at once to catch up after downtime.
   * A timer, not a cron step: cron can only say "every n seconds of the minute", so 45 s fired at :00 and :45 and 90 s every 2 minutes.
   */
  start(): void {
    if (this.timer) return;
    const origin = Date.now();
    const arm = () => {
      const now = Date.now();
      this.timer = setTimeout(() => {
        void this.tick();
        if (this.timer) arm();
      }, nextTickAt(origin, this.tickMs, now) - now);
      // The HTTP server or socket keeps the process alive; the tick alone must not hold it open after stop.
      this.timer.unref();
    };
    arm();
    void this.tick();
  }

  /** One pass over due reminders; overlapping ticks are skipped. */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    let fired = 0;
    this.ticking = (async () => {
      try {
        fired = await fireDueReminders(this.deps, (reminders) => {
          this.metrics.remindersFired.inc(reminders.length);
          for (const r of reminders) this.logger.info({ incident: incidentRef(r.incidentId), reminder: r.kind, dueAt: new Date(r.dueAt).toISOString() }, 'scheduler: reminder fired');
        });
      } catch (err) {
        this.logger.error({ err }, 'scheduler: tick failed; due reminders stay pending for the next tick');
      }
    })();
    await this.ticking;
    this.ticking = null;
    return fired;
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
  }
}
