/** node-cron ticks every SCHEDULER_TICK and fires what is due; due times live in the database, so nothing is lost across restarts. */
import cron, { type ScheduledTask } from 'node-cron';
import type { Deps } from '../app/context.js';
import { fireDueReminders } from '../app/fire-reminders.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** A cron expression (with seconds) that ticks every `ms`. */
export function cronFor(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `*/${s} * * * * *`;
  const m = Math.round(s / 60);
  if (m < 60) return `0 */${m} * * * *`;
  return `0 0 */${Math.max(1, Math.round(m / 60))} * * *`;
}

/** The reminder scheduler. */
export class Scheduler {
  private task: ScheduledTask | null = null;
  private ticking: Promise<void> | null = null;

  constructor(private readonly deps: Deps, private readonly tickMs: number, private readonly logger: Logger, private readonly metrics: Metrics) {}

  /** Starts ticking, with one tick at once to catch up after downtime. */
  start(): void {
    this.task = cron.schedule(cronFor(this.tickMs), () => void this.tick(), { noOverlap: true });
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
          for (const r of reminders) this.logger.info({ incident: `INC-${r.incidentId}`, reminder: r.kind, dueAt: new Date(r.dueAt).toISOString() }, 'scheduler: reminder fired');
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
    await this.task?.stop();
    this.task = null;
    await this.ticking;
  }
}
