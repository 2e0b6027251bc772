/** When the outbox gives up on Slack work, the person who asked for it is told in words what did not happen. */
import type { Effect } from '../app/effects.js';
import type { OutboxItem } from '../app/ports.js';
import type { Logger } from '../observability/logger.js';
import type { SlackApi } from './slack-api.js';

/** What to say about a given-up effect, and to whom; null when nobody in particular asked for it. */
export function givenUpNotice(effect: Effect, reason: string): { text: string; responseUrl: string | null; userId: string | null } | null {
  const ref = 'incidentId' in effect ? `INC-${effect.incidentId}` : null;
  const by = (x: { by?: string }) => x.by ?? null;
  let what: string;
  let responseUrl: string | null = null;
  let userId: string | null = null;
  switch (effect.kind) {
    case 'create_channel': what = `Creating the channel of ${ref}`; responseUrl = effect.replyTo.responseUrl; userId = effect.replyTo.userId; break;
    case 'declared_reply': what = `Sending you the link to the channel of ${ref}`; responseUrl = effect.responseUrl; userId = effect.userId; break;
    case 'upload_postmortem': what = `Uploading the ${ref} postmortem draft`; userId = effect.userId; break;
    case 'channel_notice': what = `Posting your change to ${ref} in its channel`; userId = by(effect.notice as { by?: string }); break;
    case 'announce': what = `Announcing your change to ${ref} in the announce channel`; userId = by(effect.announcement as { by?: string }); break;
    default: return null;
  }
  if (!responseUrl && !userId) return null;
  const text = `:warning: ${what} did not happen: Slack refused it (${reason}).${ref ? ` ${ref} itself is recorded.` : ''} Please tell whoever runs the bot; its /healthz and /metrics show the failed delivery.`;
  return { text, responseUrl, userId };
}

/** Sends the notice: through the response_url when there is one (it needs no token), else as a direct message. */
export function createGivenUpNotifier(deps: { api: SlackApi; logger: Logger; respond: (url: string, body: Record<string, unknown>) => Promise<void> }) {
  return async (item: OutboxItem, reason: string): Promise<void> => {
    const notice = givenUpNotice(item.effect, reason);
    const log = deps.logger.child({ outbox: item.id, effect: item.effect.kind });
    if (!notice) {
      log.error({ reason }, 'outbox: gave up on a delivery nobody in particular asked for; it shows in /healthz and /metrics');
      return;
    }
    try {
      if (notice.responseUrl) {
        await deps.respond(notice.responseUrl, { response_type: 'ephemeral', replace_original: false, text: notice.text });
      } else if (notice.userId) {
        const im = await deps.api.call<{ channel?: { id: string } }>('conversations.open', { users: notice.userId });
        await deps.api.call('chat.postMessage', { channel: im.channel?.id ?? notice.userId, text: notice.text });
      }
      log.warn({ user: notice.userId }, 'outbox: told the person who asked that a delivery was given up');
    } catch (err) {
      log.error({ err: String(err), user: notice.userId }, 'outbox: could not tell the person who asked that a delivery was given up');
    }
  };
}
