/** A message's permalink, best effort: the timeline entry is kept even when Slack cannot answer. */
import type { ListenerDeps } from './context.js';

/** chat.getPermalink, or null when Slack fails. */
export async function permalinkOf(l: ListenerDeps, channel: string, ts: string): Promise<string | null> {
  try {
    const res = await l.api.call<{ permalink?: string }>('chat.getPermalink', { channel, message_ts: ts });
    return res.permalink ?? null;
  } catch (err) {
    l.logger.warn({ err: String(err), channel }, 'could not fetch a permalink; keeping the entry without it');
    return null;
  }
}
