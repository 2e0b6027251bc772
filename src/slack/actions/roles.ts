/** `/incident roles`: who holds which role. */
import { bare } from '../../domain/command-parser.js';
import { viewIncident } from '../../app/queries.js';
import { rolesReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** `/incident roles`. */
const rolesTyped = bare('roles', ['roles'], '/incident roles');

/** The roles action. */
export const rolesAction = slackAction({
  typed: [rolesTyped],
  help: [[rolesTyped.usage, 'who holds which role']],
  commands: { roles: { where: 'incident', run: async (_cmd, { l, incident }) => rolesReply((await viewIncident(l.deps.store, incident.id))!) } },
});
