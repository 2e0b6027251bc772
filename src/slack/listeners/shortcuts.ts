/** Message shortcuts: declare from a message, add a message to the timeline. */
import type { AllMiddlewareArgs, App, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { UserError } from '../../app/context.js';
import { addMessage } from '../../app/log-event.js';
import { declareModal } from '../blocks/modals.js';
import { SHORTCUT } from '../ids.js';
import type { ListenerDeps } from './context.js';
import { incidentInChannel } from './incident-of.js';
import { permalinkOf } from './permalink.js';
import { type Handler, route } from './route.js';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** Registers the message shortcuts, behind one Bolt listener. */
export function registerShortcuts(app: App, l: ListenerDeps): void {
  const handlers: Record<string, Handler<ShortcutArgs>> = {
    [SHORTCUT.declare]: async ({ ack, shortcut, client }) => {
      await ack();
      // The trigger id expires in 3 s: the modal opens before anything else happens.
      await client.views.open({ trigger_id: shortcut.trigger_id, view: declareModal({ summary: shortcut.message.text ?? '' }) });
    },

    [SHORTCUT.addToTimeline]: async ({ ack, shortcut, respond }) => {
      await ack();
      const incident = await incidentInChannel(l.deps.store, shortcut.channel.id);
      if (!incident) {
        await respond({ response_type: 'ephemeral', text: 'Only messages in an incident channel can be added to its timeline.' });
        return;
      }
      const m = shortcut.message;
      try {
        const added = await addMessage(l.deps, incident.id, {
          ts: m.ts, author: m.user ?? null, text: m.text ?? '', permalink: await permalinkOf(l, shortcut.channel.id, m.ts),
        }, shortcut.user.id);
        await respond({ response_type: 'ephemeral', text: added ? `Added to the INC-${incident.id} timeline.` : `That message is already on the INC-${incident.id} timeline.` });
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        await respond({ response_type: 'ephemeral', text: err.message });
      }
    },
  };

  const { pattern, listener } = route(handlers, (args) => args.shortcut.callback_id);
  app.shortcut<MessageShortcut>(pattern, listener);
}
