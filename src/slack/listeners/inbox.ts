/** The inbox: an inbound event is committed (deduplicated by its id) before Slack is told it arrived; its Slack work runs from the outbox. */
import type { InboundEvent } from '../../app/effects.js';
import type { ListenerDeps } from './context.js';

/** The parts of an Events API envelope the bot reads. */
interface Envelope {
  type?: string;
  event_id?: string;
  event?: { type?: string; user?: string; reaction?: string; item?: { type?: string; channel?: string; ts?: string }; item_user?: string; tab?: string };
}

/** What an event means to the bot, or null for events it ignores. */
export function inboundOf(envelope: Envelope, timelineEmoji: string): InboundEvent | null {
  const e = envelope.event;
  if (!e || typeof e.user !== 'string') return null;
  if (e.type === 'reaction_added') {
    if (e.reaction !== timelineEmoji || e.item?.type !== 'message' || typeof e.item.channel !== 'string' || typeof e.item.ts !== 'string') return null;
    return { type: 'reaction_added', user: e.user, reaction: e.reaction, channel: e.item.channel, ts: e.item.ts, itemUser: e.item_user ?? null };
  }
  if (e.type === 'app_home_opened') return e.tab && e.tab !== 'home' ? null : { type: 'app_home_opened', user: e.user };
  return null;
}

/** Commits an inbound item once per id; resolves after the commit, so acknowledging afterwards loses nothing. */
export async function commitInbound(l: ListenerDeps, id: string, event: InboundEvent): Promise<void> {
  const now = l.deps.clock();
  await l.deps.store.transaction(async (tx) => {
    // The key makes a redelivered event (Slack retries, Socket Mode re-sends) a no-op.
    await tx.outbox.enqueue({ kind: 'inbound', eventId: id, event }, now, { key: `inbound:${id}` });
  });
}

/** Commits an Events API envelope when it means something to the bot; true when there was something to keep. */
export async function commitEnvelope(l: ListenerDeps, envelope: Envelope): Promise<boolean> {
  const event = inboundOf(envelope, l.timelineEmoji);
  if (!event || typeof envelope.event_id !== 'string') return false;
  // A deleted or replaced database file would take the event and lose it at restart: refuse it, so Slack sends it again.
  const problem = l.databaseProblem?.();
  if (problem) throw new Error(`database ${problem.state}: event not stored`);
  await commitInbound(l, `event:${envelope.event_id}`, event);
  return true;
}
