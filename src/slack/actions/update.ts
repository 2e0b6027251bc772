/** A status update: typed, or from the form (command without text, summary button). */
import { subcommand } from '../../domain/command-parser.js';
import { postUpdate } from '../../app/post-update.js';
import { parseUpdateSubmission, updateModal } from '../blocks/modals.js';
import { updatePostedReply } from '../blocks/replies.js';
import { ACTION, VIEW } from '../ids.js';
import { slackAction } from './action.js';
import { incidentForm, opensModal } from './surfaces.js';

/** `/incident update [text]`; no text opens the form. */
const updateTyped = subcommand({
  name: 'update',
  words: ['update'],
  usage: '/incident update [text]',
  parse: (rest) => (rest ? { kind: 'update', text: rest } : { kind: 'update_modal' }),
});

/** The update action. */
export const updateAction = slackAction({
  typed: [updateTyped],
  help: [[updateTyped.usage, 'post a status update (no text opens the update form); resets the update clock']],
  commands: {
    update: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => {
        await postUpdate(l.deps, incident.id, { text: cmd.text }, user);
        return updatePostedReply(incident.id);
      },
    },
    update_modal: { where: 'incident', run: async (_cmd, { incident }) => ({ modal: updateModal(incident), typed: '`/incident update &lt;text&gt;`' }) },
  },
  buttons: { [ACTION.postUpdate]: opensModal((incident) => updateModal(incident)) },
  // One use case, one transaction: the status move and the update land together or not at all.
  views: { [VIEW.update]: incidentForm(parseUpdateSubmission, (l, id, input, user, key) => postUpdate(l.deps, id, { text: input.text, status: input.status, nextInMs: input.nextInMs }, user, key)) },
});
