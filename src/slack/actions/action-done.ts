/** Marking an action item done: typed, or with the "Mark done" button; the same reply from both. */
import { parseActionRef, show, subcommand } from '../../domain/command-parser.js';
import { completeAction } from '../../app/action-items.js';
import { actionDoneReply } from '../blocks/replies.js';
import { ACTION } from '../ids.js';
import { slackAction } from './action.js';
import { incidentFor } from './surfaces.js';

/** `/incident action done A-<n>` (also `/incident done A-<n>`). */
const doneTyped = subcommand({
  name: 'done',
  words: ['done'],
  usage: '/incident action done A-<n>',
  parse: (_rest, tokens, p) => {
    const seq = tokens.length === 1 ? parseActionRef(tokens[0]) : undefined;
    if (seq !== undefined) return { kind: 'action_done', seq };
    const what = tokens.length ? `${show(tokens.join(' '))} is not an action item` : 'Say which action item is done';
    return p.fail('done', `${what}: refer to it as A-<n>, e.g. \`/incident action done A-3\`.`);
  },
});

/** The action-done action. */
export const actionDoneAction = slackAction({
  typed: [doneTyped],
  help: [[doneTyped.usage, 'mark an action item done']],
  commands: {
    action_done: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => {
        await completeAction(l.deps, incident.id, cmd.seq, user);
        return actionDoneReply(incident.id, cmd.seq);
      },
    },
  },
  buttons: {
    // The value is `<incidentId>:<seq>`.
    [ACTION.actionDone]: async ({ ack, action, body, respond }, l) => {
      const id = await incidentFor(l, action.value, body);
      const seq = Number((action.value ?? '').split(':')[1]);
      if (id === null || !Number.isInteger(seq)) return ack();
      await completeAction(l.deps, id, seq, body.user.id);
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, ...actionDoneReply(id, seq) });
    },
  },
});
