/** `/incident timeline`: the timeline, shown only to the caller. */
import { bare } from '../../domain/command-parser.js';
import { timelineOf } from '../../app/queries.js';
import { timelineReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** `/incident timeline`. */
const timelineTyped = bare('timeline', ['timeline'], '/incident timeline');

/** The timeline action. */
export const timelineAction = slackAction({
  typed: [timelineTyped],
  help: [[timelineTyped.usage, 'show the timeline (only to you)']],
  commands: { timeline: { where: 'incident', run: async (_cmd, { l, incident }) => timelineReply(incident, await timelineOf(l.deps.store, incident.id)) } },
});
