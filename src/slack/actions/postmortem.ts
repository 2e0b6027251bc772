/** Drafting the postmortem: typed, or with the summary's button once resolved. */
import { bare } from '../../domain/command-parser.js';
import { requestPostmortem } from '../../app/postmortem.js';
import { postmortemDraftingReply } from '../blocks/replies.js';
import { ACTION } from '../ids.js';
import { slackAction } from './action.js';
import { incidentFor } from './surfaces.js';

/** `/incident postmortem` (aliases `post-mortem`, `pm`). */
const postmortemTyped = bare('postmortem', ['postmortem', 'post-mortem', 'pm'], '/incident postmortem');

/** The postmortem action. */
export const postmortemAction = slackAction({
  typed: [postmortemTyped],
  help: [[postmortemTyped.usage, 'upload the postmortem draft as Markdown']],
  commands: {
    postmortem: {
      where: 'incident',
      run: async (_cmd, { l, incident, user }) => {
        await requestPostmortem(l.deps, incident.id, user);
        return postmortemDraftingReply(incident.id);
      },
    },
  },
  buttons: {
    // Committed before the ack (a crash after an ack must lose nothing); the draft follows in the channel.
    [ACTION.postmortem]: async ({ ack, action, body }, l) => {
      const id = await incidentFor(l, action.value, body);
      if (id !== null) await requestPostmortem(l.deps, id, body.user.id);
      await ack();
    },
  },
});
