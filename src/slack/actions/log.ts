/** An entry on the timeline: typed (`/incident log`), or a message added with the "Add to timeline" shortcut. */
import { subcommand } from '../../domain/command-parser.js';
import { UserError } from '../../app/context.js';
import { logEntry } from '../../app/log-event.js';
import { loggedReply } from '../blocks/replies.js';
import { SHORTCUT } from '../ids.js';
import { incidentInChannel } from '../listeners/incident-of.js';
import { commitInbound } from '../listeners/inbox.js';
import { slackAction } from './action.js';

/** `/incident log <text>` (alias `note`). */
const logTyped = subcommand({
  name: 'log',
  words: ['log', 'note'],
  usage: '/incident log <text>',
  parse: (rest, _tokens, p) => (rest ? { kind: 'log', text: rest } : p.fail('log', 'Say what to add to the timeline.')),
});

/** The log action. */
export const logAction = slackAction({
  typed: [logTyped],
  help: [[logTyped.usage, 'add an entry to the timeline']],
  commands: {
    log: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => {
        await logEntry(l.deps, incident.id, cmd.text, user);
        return loggedReply(incident.id);
      },
    },
  },
  shortcuts: {
    // "Add to timeline" on a message: stored before the ack; the permalink look-up and the confirmation follow from the outbox.
    [SHORTCUT.addToTimeline]: async ({ ack, shortcut }, l) => {
      const incident = await incidentInChannel(l.deps.store, shortcut.channel.id);
      if (!incident) throw new UserError('Only messages in an incident channel can be added to its timeline.');
      const m = shortcut.message;
      await commitInbound(l, `shortcut:${shortcut.action_ts ?? shortcut.trigger_id}`, {
        type: 'timeline_shortcut', user: shortcut.user.id, channel: shortcut.channel.id, ts: m.ts, author: m.user ?? null, text: m.text ?? '',
        responseUrl: shortcut.response_url ?? null,
      });
      await ack();
    },
  },
});
