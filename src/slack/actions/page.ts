/** `/incident page`: page the on-call through PagerDuty now. */
import { subcommand } from '../../domain/command-parser.js';
import { pageNow } from '../../app/paging.js';
import { pagingReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** `/incident page [message]`. */
const pageTyped = subcommand({
  name: 'page',
  words: ['page'],
  usage: '/incident page [message]',
  parse: (rest) => ({ kind: 'page', message: rest.trim() || null }),
});

/** The page action. */
export const pageAction = slackAction({
  typed: [pageTyped],
  help: [[pageTyped.usage, 'page the on-call through PagerDuty now, whatever the severity']],
  commands: {
    page: {
      where: 'incident',
      run: async (cmd, { l, incident, user, requestKey }) => {
        await pageNow(l.deps, incident.id, cmd.message, user, requestKey);
        return pagingReply(incident.id);
      },
    },
  },
});
