/** Delivering inbox items: the Slack look-ups an inbound event needs, with what they learn applied in the completing transaction. */
import type { InboundEvent } from '../app/effects.js';
import { addMessageIn } from '../app/log-event.js';
import type { Store } from '../app/ports.js';
import { listOpen } from '../app/queries.js';
import type { Logger } from '../observability/logger.js';
import { homeView } from './blocks/home.js';
import type { DeliveryResult } from '../outbox/worker.js';
import { SlackCallError, type SlackApi } from './slack-api.js';
import { incidentRef } from '../domain/incident.js';

/** What an inbox delivery needs. */
export interface InboundDeps {
  api: SlackApi;
  store: Store;
  logger: Logger;
  respond: (responseUrl: string, body: Record<string, unknown>) => Promise<void>;
}

const done: DeliveryResult = { outcome: 'done' };
type Msg = { ts: string; text?: string };

/** Handles one stored inbound event; Slack being unwell throws, so the outbox retries (look-ups are safe to repeat). */
export async function deliverInbound(d: InboundDeps, event: InboundEvent, now: number): Promise<DeliveryResult> {
  switch (event.type) {
    case 'app_home_opened': {
      await d.api.web.views.publish({ user_id: event.user, view: homeView(await listOpen(d.store), now) });
      return done;
    }
    case 'reaction_added': {
      const incident = await d.store.incidents.byChannel(event.channel);
      if (!incident || incident.status === 'closed') return done;
      // Further reactions to a message already on the timeline cost no Slack call.
      if (await d.store.timeline.hasSource(incident.id, event.ts)) return done;
      const text = await messageText(d, event.channel, event.ts);
      const permalink = await permalinkOf(d, event.channel, event.ts);
      return addLater(incident.id, { ts: event.ts, author: event.itemUser, text, permalink }, event.user, now);
    }
    case 'timeline_shortcut': {
      const incident = await d.store.incidents.byChannel(event.channel);
      if (!incident) return done;
      const permalink = await permalinkOf(d, event.channel, event.ts);
      const already = await d.store.timeline.hasSource(incident.id, event.ts);
      return {
        outcome: 'done',
        apply: async (tx) => {
          const current = await tx.incidents.getShared(incident.id);
          if (current && current.status !== 'closed') await addMessageIn(tx, incident.id, { ts: event.ts, author: event.author, text: event.text, permalink }, event.user, now);
        },
        after: async () => {
          if (!event.responseUrl) return;
          const text = incident.status === 'closed' ? `${incidentRef(incident.id)} is closed; it can no longer change.`
            : already ? `That message is already on the ${incidentRef(incident.id)} timeline.` : `Added to the ${incidentRef(incident.id)} timeline.`;
          await d.respond(event.responseUrl, { response_type: 'ephemeral', text }).catch(() => undefined);
        },
      };
    }
  }
}

function addLater(incidentId: number, message: Parameters<typeof addMessageIn>[2], by: string, now: number): DeliveryResult {
  return {
    outcome: 'done',
    apply: async (tx) => {
      // Re-checked inside the transaction: the incident may have been closed while Slack was asked.
      const current = await tx.incidents.getShared(incidentId);
      if (current && current.status !== 'closed') await addMessageIn(tx, incidentId, message, by, now);
    },
  };
}

/** Slack refused (not unwell): keep the entry with a note rather than retrying for ever. */
const refused = (err: unknown) => err instanceof SlackCallError && err.failure.kind === 'slack_error';

async function messageText(d: InboundDeps, channel: string, ts: string): Promise<string> {
  try {
    const res = await d.api.web.conversations.history({ channel, latest: ts, oldest: ts, inclusive: true, limit: 1 });
    // A thread reply is not in the channel's history: look it up in its thread.
    const m = res.messages?.find((x) => x.ts === ts)
      ?? (await d.api.web.conversations.replies({ channel, ts }).catch((err: unknown) => { if (refused(err)) return null; throw err; }))?.messages?.find((x) => x.ts === ts);
    return m?.text ?? '(message not found)';
  } catch (err) {
    if (!refused(err)) throw err;
    d.logger.warn({ err: String(err), channel }, 'Slack refused to show the reacted message; keeping the entry with its link');
    return '(message text unavailable)';
  }
}

async function permalinkOf(d: InboundDeps, channel: string, ts: string): Promise<string | null> {
  try {
    const res = await d.api.web.chat.getPermalink({ channel, message_ts: ts });
    return res.permalink ?? null;
  } catch (err) {
    if (!refused(err)) throw err;
    return null;
  }
}
