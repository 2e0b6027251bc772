/** Opening a modal from a listener, through the one door to Slack (breaker, metrics, log) rather than Bolt's own client. */
import type { View } from '@slack/types';
import { SlackCallError, type SlackApi } from './slack-api.js';

/**
 * Opens `view` for the trigger id. A transient failure that did not time out (a 5xx, a reset) is tried once more at once,
 * while the 3 s trigger still lives, as Bolt's client did (one retry); anything else is the caller's to tell the person.
 */
export async function openView(api: SlackApi, triggerId: string, view: View): Promise<void> {
  try {
    await api.web.views.open({ trigger_id: triggerId, view });
  } catch (err) {
    if (!(err instanceof SlackCallError && err.failure.kind === 'transient' && err.failure.settleMs === undefined)) throw err;
    await api.web.views.open({ trigger_id: triggerId, view });
  }
}
