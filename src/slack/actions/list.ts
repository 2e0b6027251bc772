/** `/incident list`: the open incidents. */
import { bare } from '../../domain/command-parser.js';
import { listOpen } from '../../app/queries.js';
import { listReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** `/incident list` (alias `ls`). */
const listTyped = bare('list', ['list', 'ls'], '/incident list');

/** The list action. */
export const listAction = slackAction({
  typed: [listTyped],
  help: [[listTyped.usage, 'open incidents with severity, status, age, IC and channel']],
  commands: { list: { where: 'anywhere', run: async (_cmd, { l }) => listReply(await listOpen(l.deps.store), l.deps.clock()) } },
});
