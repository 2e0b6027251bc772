/** `/incident status`: move the status forward. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { changeStatus } from '../../app/change-incident.js';
import { statusMovedReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The status action. */
export const statusAction = slackAction({
  help: [[COMMAND_USAGE.status!, 'move the status forward']],
  commands: {
    status: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => statusMovedReply(incident.id, (await changeStatus(l.deps, incident.id, cmd.status, user)).from, cmd.status),
    },
  },
});
