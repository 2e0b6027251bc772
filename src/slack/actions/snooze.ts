/** `/incident snooze`: postpone the next update reminder. */
import { snooze } from '../../app/post-update.js';
import { snoozedReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The snooze action. */
export const snoozeAction = slackAction({
  commands: { snooze: { where: 'incident', run: async (cmd, { l, incident, user }) => snoozedReply(incident.id, await snooze(l.deps, incident.id, cmd.durationMs, user)) } },
});
