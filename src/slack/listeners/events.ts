/** Events API: the timeline reaction and App Home. */
import type { App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { addMessage } from '../../app/log-event.js';
import { listOpen } from '../../app/queries.js';
import { homeView } from '../blocks/home.js';
import type { ListenerDeps } from './context.js';
import { incidentInChannel } from './incident-of.js';
import { permalinkOf } from './permalink.js';
import { exactly } from './route.js';

type EventOf<T extends string> = SlackEventMiddlewareArgs<T>['event'];

/** Registers the event handlers, behind one Bolt listener. */
export function registerEvents(app: App, l: ListenerDeps): void {
  app.event(exactly(['reaction_added', 'app_home_opened']), async ({ event, client }) => {
    if (event.type === 'reaction_added') await onReaction(l, event);
    else if (event.type === 'app_home_opened') await onHomeOpened(l, event, client);
  });
}

/** The timeline emoji on a message in an incident channel puts that message on the timeline. */
async function onReaction(l: ListenerDeps, event: EventOf<'reaction_added'>): Promise<void> {
  if (event.reaction !== l.timelineEmoji || event.item.type !== 'message') return;
  const { channel, ts } = event.item;
  const incident = await incidentInChannel(l.deps.store, channel);
  if (!incident || incident.status === 'closed') return;
  // Retried events and further reactions are cheap to drop before asking Slack for the message.
  if (await l.deps.store.timeline.hasSource(incident.id, ts)) return;
  const text = await messageText(l, channel, ts);
  await addMessage(l.deps, incident.id, { ts, author: event.item_user ?? null, text, permalink: await permalinkOf(l, channel, ts) }, event.user);
}

async function onHomeOpened(l: ListenerDeps, event: EventOf<'app_home_opened'>, client: App['client']): Promise<void> {
  if (event.tab && event.tab !== 'home') return;
  await client.views.publish({ user_id: event.user, view: homeView(await listOpen(l.deps.store), l.deps.clock()) });
}

async function messageText(l: ListenerDeps, channel: string, ts: string): Promise<string> {
  try {
    const res = await l.api.call<{ messages?: { ts: string; text?: string }[] }>('conversations.history', { channel, latest: ts, oldest: ts, inclusive: true, limit: 1 });
    // A thread reply is not in the channel's history: look it up in its thread.
    const m = res.messages?.find((x) => x.ts === ts)
      ?? (await l.api.call<{ messages?: { ts: string; text?: string }[] }>('conversations.replies', { channel, ts }).catch(() => null))?.messages?.find((x) => x.ts === ts);
    return m?.text ?? '(message not found)';
  } catch (err) {
    l.logger.warn({ err: String(err), channel }, 'could not fetch the reacted message; keeping the entry with its link');
    return '(message text unavailable: Slack did not answer)';
  }
}
