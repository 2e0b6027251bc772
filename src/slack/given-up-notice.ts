/** When the outbox gives up on Slack work, the person who asked for it is told in words what did not happen. */
import type { Effect } from '../app/effects.js';
import type { OutboxItem } from '../app/ports.js';
import type { Logger } from '../observability/logger.js';
import type { SlackApi } from './slack-api.js';
import { incidentRef } from '../domain/incident.js';

/** What to say about a given-up effect, and to whom: the asker, else the incident's channel; null when there is nobody to tell. */
export function givenUpNotice(effect: Effect, reason: string): { text: string; responseUrl: string | null; userId: string | null; incidentId: number | null } | null {
  const incidentId = 'incidentId' in effect ? effect.incidentId : effect.kind === 'dm' && 'incidentId' in effect.message ? effect.message.incidentId : null;
  const ref = incidentId === null ? null : incidentRef(incidentId);
  const by = (x: { by?: string }) => x.by ?? null;
  let what: string;
  let responseUrl: string | null = null;
  let userId: string | null = null;
  switch (effect.kind) {
    case 'create_channel': what = `Creating the channel of ${ref}`; responseUrl = effect.replyTo.responseUrl; userId = effect.replyTo.userId; break;
    case 'declared_reply': what = `Sending you the link to the channel of ${ref}`; responseUrl = effect.responseUrl; userId = effect.userId; break;
    case 'channel_refused': what = `Telling you that Slack refused to create the channel of ${ref}`; responseUrl = effect.responseUrl; userId = effect.userId; break;
    case 'upload_postmortem': what = `Uploading the ${ref} postmortem draft`; userId = effect.userId; break;
    case 'channel_notice': userId = by(effect.notice as { by?: string }); what = userId ? `Posting your change to ${ref} in its channel` : `A notice about ${ref} in this channel`; break;
    case 'announce': userId = by(effect.announcement as { by?: string }); what = userId ? `Announcing your change to ${ref} in the announce channel` : `Announcing ${ref} in the announce channel`; break;
    // Nobody in particular asked for these: the incident's channel hears about them.
    case 'invite': what = `Inviting ${effect.userIds.map((u) => `<@${u}>`).join(', ')} to this channel`; break;
    case 'dm': what = `The direct message to <@${effect.userId}> about ${ref}`; break;
    case 'post_summary': case 'pin_summary': case 'refresh_summary': what = `Keeping the pinned summary of ${ref} up to date`; break;
    case 'set_topic': what = `Setting the topic of this channel`; break;
    case 'archive': what = `Archiving this channel`; break;
    default: return null;
  }
  if (!responseUrl && !userId && incidentId === null) return null;
  const text = `:warning: ${what} did not happen: Slack refused it (${reason}).${ref ? ` ${ref} itself is recorded.` : ''} Please tell whoever runs the bot; its /healthz and /metrics show the failed delivery.`;
  return { text, responseUrl, userId, incidentId };
}

/** Sends the notice: through the response_url when there is one (it needs no token), else as a direct message, else in the incident's channel. */
export function createGivenUpNotifier(deps: { api: SlackApi; logger: Logger; respond: (url: string, body: Record<string, unknown>) => Promise<void>; channelOf: (incidentId: number) => Promise<string | null> }) {
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
        const im = await deps.api.web.conversations.open({ users: notice.userId });
        await deps.api.web.chat.postMessage({ channel: im.channel?.id ?? notice.userId, text: notice.text });
      } else {
        const channel = notice.incidentId === null ? null : await deps.channelOf(notice.incidentId);
        if (!channel) {
          log.error({ reason }, 'outbox: gave up on a delivery of an incident without a channel; it shows in /healthz and /metrics');
          return;
        }
        await deps.api.web.chat.postMessage({ channel, text: notice.text });
      }
      log.warn({ user: notice.userId }, 'outbox: told the person who asked that a delivery was given up');
    } catch (err) {
      log.error({ err: String(err), user: notice.userId }, 'outbox: could not tell the person who asked that a delivery was given up');
    }
  };
}
