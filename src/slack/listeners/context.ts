/** What every listener needs, built once in main. */
import type { Deps } from '../../app/context.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { DatabaseProblem } from '../../store/database-guard.js';
import type { SlackApi } from '../slack-api.js';

/** Shared by all listeners. */
export interface ListenerDeps {
  deps: Deps;
  api: SlackApi;
  logger: Logger;
  metrics: Metrics;
  timelineEmoji: string;
  /** Why the database cannot record anything right now (null: it can); checked before every request. */
  databaseProblem?: () => DatabaseProblem;
}
