/** Message shortcuts: declare from a message, add a message to the timeline. */
import type { AllMiddlewareArgs, App, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { UserError } from '../../app/context.js';
import { declareModal } from '../blocks/modals.js';
import { SHORTCUT } from '../ids.js';
import type { ListenerDeps } from './context.js';
import { incidentInChannel } from './incident-of.js';
import { commitInbound } from './inbox.js';
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

    [SHORTCUT.addToTimeline]: async ({ ack, shortcut }) => {
      const incident = await incidentInChannel(l.deps.store, shortcut.channel.id);
      if (!incident) throw new UserError('Only messages in an incident channel can be added to its timeline.');
      const m = shortcut.message;
      // Stored before the ack; the permalink look-up and the confirmation follow from the outbox.
      await commitInbound(l, `shortcut:${shortcut.action_ts ?? shortcut.trigger_id}`, {
        type: 'timeline_shortcut', user: shortcut.user.id, channel: shortcut.channel.id, ts: m.ts, author: m.user ?? null, text: m.text ?? '',
        responseUrl: shortcut.response_url ?? null,
      });
      await ack();
    },
  };

  const { pattern, listener } = route(handlers, (args) => args.shortcut.callback_id);
  app.shortcut<MessageShortcut>(pattern, listener);
}
