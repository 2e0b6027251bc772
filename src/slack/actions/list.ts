/** `/incident list`: the open incidents. */
import { listOpen } from '../../app/queries.js';
import { listReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The list action. */
export const listAction = slackAction({
  commands: { list: { where: 'anywhere', run: async (_cmd, { l }) => listReply(await listOpen(l.deps.store), l.deps.clock()) } },
});
