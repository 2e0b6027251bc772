/** `/incident close`: close a resolved incident. */
import { bare } from '../../domain/command-parser.js';
import { closeIncident } from '../../app/change-incident.js';
import { closedReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** `/incident close`. */
const closeTyped = bare('close', ['close'], '/incident close');

/** The close action. */
export const closeAction = slackAction({
  typed: [closeTyped],
  help: [[closeTyped.usage, 'close a resolved incident and archive its channel']],
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
