/** Assigning a role: typed, or from the summary's button and its form. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { assignRole } from '../../app/assign-role.js';
import { parseRoleSubmission, roleModal } from '../blocks/modals.js';
import { roleAssignedReply } from '../blocks/replies.js';
import { ACTION, VIEW } from '../ids.js';
import { slackAction } from './action.js';
import { incidentForm, opensModal } from './surfaces.js';

/** The role action. */
export const roleAction = slackAction({
  help: [[COMMAND_USAGE.role!, 'assign the Incident Commander, Technical Lead or Communications Lead (pick the person from the autocomplete)']],
  commands: {
    role: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => roleAssignedReply(incident.id, cmd.role, cmd.userId, await assignRole(l.deps, incident.id, cmd.role, cmd.userId, user)),
    },
  },
  buttons: { [ACTION.assignRole]: opensModal((incident) => roleModal(incident.id)) },
  views: { [VIEW.role]: incidentForm(parseRoleSubmission, (l, id, input, user, key) => assignRole(l.deps, id, input.role, input.userId, user, key)) },
});
