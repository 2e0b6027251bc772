/** Marking an action item done: typed, or with the "Mark done" button; the same reply from both. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { completeAction } from '../../app/action-items.js';
import { actionDoneReply } from '../blocks/replies.js';
import { ACTION } from '../ids.js';
import { slackAction } from './action.js';
import { incidentFor } from './surfaces.js';

/** The action-done action. */
export const actionDoneAction = slackAction({
  help: [[COMMAND_USAGE.done!, 'mark an action item done']],
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
