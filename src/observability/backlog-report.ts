/** Says in the logs what is still waiting for Slack, so an operator reading them during an outage knows what is pending. */
import type { OutboxStats } from '../app/ports.js';
import type { Logger } from './logger.js';

/** What the report reads. */
export interface BacklogSources {
  stats(): Promise<OutboxStats>;
  openCircuits(): Record<string, string>;
  clock(): number;
}

/** Logs one line about the backlog when anything is waiting or a circuit is open; silent otherwise. */
export async function reportBacklog(src: BacklogSources, logger: Logger): Promise<void> {
  const stats = await src.stats();
  const circuits = src.openCircuits();
  const waiting = stats.pending + stats.inflight;
  if (waiting === 0 && Object.keys(circuits).length === 0) return;
  const oldestAgeSeconds = stats.oldestPendingAt === null ? null : Math.round((src.clock() - stats.oldestPendingAt) / 1000);
  logger.warn({ pending: stats.pending, inflight: stats.inflight, dead: stats.dead, oldestAgeSeconds, circuits }, `outbox: ${waiting} Slack deliveries waiting${oldestAgeSeconds !== null ? `, oldest ${oldestAgeSeconds}s` : ''}`);
}
