/** `/incident log`: an entry on the timeline. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { logEntry } from '../../app/log-event.js';
import { loggedReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The log action. */
export const logAction = slackAction({
  help: [[COMMAND_USAGE.log!, 'add an entry to the timeline']],
  commands: {
    log: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => {
        await logEntry(l.deps, incident.id, cmd.text, user);
        return loggedReply(incident.id);
      },
    },
  },
});
