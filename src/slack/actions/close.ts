/** `/incident close`: close a resolved incident. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { closeIncident } from '../../app/change-incident.js';
import { closedReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The close action. */
export const closeAction = slackAction({
  help: [[COMMAND_USAGE.close!, 'close a resolved incident and archive its channel']],
  commands: {
    close: {
      where: 'incident',
      run: async (_cmd, { l, incident, user }) => {
        await closeIncident(l.deps, incident.id, user);
        return closedReply(incident.id);
      },
    },
  },
});
