/** `/incident close`: close a resolved incident. */
import { closeIncident } from '../../app/change-incident.js';
import { closedReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The close action. */
export const closeAction = slackAction({
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
