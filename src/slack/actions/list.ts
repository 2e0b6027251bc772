/** `/incident list`: the open incidents. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { listOpen } from '../../app/queries.js';
import { listReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The list action. */
export const listAction = slackAction({
  help: [[COMMAND_USAGE.list!, 'open incidents with severity, status, age, IC and channel']],
  commands: { list: { where: 'anywhere', run: async (_cmd, { l }) => listReply(await listOpen(l.deps.store), l.deps.clock()) } },
});
