/** `/incident timeline`: the timeline, shown only to the caller. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { timelineOf } from '../../app/queries.js';
import { timelineReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The timeline action. */
export const timelineAction = slackAction({
  help: [[COMMAND_USAGE.timeline!, 'show the timeline (only to you)']],
  commands: { timeline: { where: 'incident', run: async (_cmd, { l, incident }) => timelineReply(incident, await timelineOf(l.deps.store, incident.id)) } },
});
