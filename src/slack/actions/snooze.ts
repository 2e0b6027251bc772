/** `/incident snooze`: postpone the next update reminder. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { snooze } from '../../app/post-update.js';
import { snoozedReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The snooze action. */
export const snoozeAction = slackAction({
  help: [[COMMAND_USAGE.snooze!, 'postpone the next update reminder, e.g. `30m` (at most 24h)']],
  commands: { snooze: { where: 'incident', run: async (cmd, { l, incident, user }) => snoozedReply(incident.id, await snooze(l.deps, incident.id, cmd.durationMs, user)) } },
});
