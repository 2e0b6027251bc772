/** `/incident page`: page the on-call through PagerDuty now. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { pageNow } from '../../app/paging.js';
import { pagingReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** The page action. */
export const pageAction = slackAction({
  help: [[COMMAND_USAGE.page!, 'page the on-call through PagerDuty now, whatever the severity']],
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
