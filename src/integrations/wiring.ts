/** Builds the Statuspage and GitHub deliverers over the outbox's HTTP client for their target. */
import type { Store } from '../app/ports.js';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { TargetHttpClient } from '../outbox/http-target.js';
import type { Deliver } from '../outbox/worker.js';
import type { SlackApi } from '../slack/slack-api.js';
import { createIntegrationDeliverer } from './delivery.js';
import { GitHubClient } from './github/client.js';
import { StatuspageClient } from './statuspage/client.js';

/** What both deliverers share. */
export interface IntegrationWiring { store: Store; clock: () => number; logger: Logger; api: SlackApi }

/** The Statuspage deliverer, when STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID are set. */
export function statuspageTarget(config: Config, w: IntegrationWiring): ((http: TargetHttpClient) => Deliver) | null {
  const settings = config.statuspage;
  if (!settings) return null;
  return (http) => createIntegrationDeliverer({ ...w, statuspage: new StatuspageClient(http, settings), github: null, nameOf: slackName(w.api) });
}

/** The GitHub deliverer, when GITHUB_TOKEN and GITHUB_REPOSITORY are set. */
export function githubTarget(config: Config, w: IntegrationWiring): ((http: TargetHttpClient) => Deliver) | null {
  const settings = config.github;
  if (!settings) return null;
  return (http) => createIntegrationDeliverer({ ...w, statuspage: null, github: new GitHubClient(http, settings), nameOf: slackName(w.api) });
}

/** A person's name as Slack shows it (display name, else real name): only when the people directory has none yet. */
function slackName(api: SlackApi): (userId: string) => Promise<string | null> {
  return async (userId) => {
    const res = await api.web.users.info({ user: userId });
    const u = res.user;
    return u?.profile?.display_name?.trim() || u?.profile?.real_name?.trim() || u?.real_name?.trim() || u?.name?.trim() || null;
  };
}
