/** `/incident roles`: who holds which role. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { viewIncident } from '../../app/queries.js';
import { rolesReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The roles action. */
export const rolesAction = slackAction({
  help: [[COMMAND_USAGE.roles!, 'who holds which role']],
  commands: { roles: { where: 'incident', run: async (_cmd, { l, incident }) => rolesReply((await viewIncident(l.deps.store, incident.id))!) } },
});
