/** Adding a follow-up action item: typed, or from the summary's button and its form. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { addAction } from '../../app/action-items.js';
import { actionModal, parseActionSubmission } from '../blocks/modals.js';
import { actionAddedReply } from '../blocks/replies.js';
import { ACTION, VIEW } from '../ids.js';
import { slackAction } from './action.js';
import { incidentForm, opensModal } from './surfaces.js';

/** The add-action-item action. */
export const addActionAction = slackAction({
  help: [[COMMAND_USAGE.action!, 'add a follow-up action item']],
  commands: {
    action: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => actionAddedReply(incident.id, await addAction(l.deps, incident.id, { text: cmd.text, ownerId: cmd.ownerId, dueDate: cmd.dueDate }, user)),
    },
  },
  buttons: { [ACTION.addAction]: opensModal((incident) => actionModal(incident.id)) },
  views: { [VIEW.action]: incidentForm(parseActionSubmission, (l, id, input, user, key) => addAction(l.deps, id, { text: input.text, ownerId: input.ownerId, dueDate: input.dueDate }, user, key)) },
});
