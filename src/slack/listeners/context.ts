/** What every listener needs, built once in main. */
import type { Deps } from '../../app/context.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { SlackApi } from '../slack-api.js';

/** Shared by all listeners. */
export interface ListenerDeps {
  deps: Deps;
  api: SlackApi;
  logger: Logger;
  metrics: Metrics;
  timelineEmoji: string;
}
