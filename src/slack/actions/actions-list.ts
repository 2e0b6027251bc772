/** `/incident actions`: the action items, overdue first, with their GitHub issues. */
import { bare } from '../../domain/command-parser.js';
import { actionsOf, issuesOf } from '../../app/queries.js';
import { actionsReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** `/incident actions`. */
const actionsTyped = bare('actions', ['actions'], '/incident actions');

/** The action-items list action. */
export const actionsListAction = slackAction({
  typed: [actionsTyped],
  help: [[actionsTyped.usage, 'list action items']],
  commands: {
    actions: {
      where: 'incident',
      run: async (_cmd, { l, incident }) => {
        const { items, overdue } = await actionsOf(l.deps.store, incident.id, l.deps.clock());
        return actionsReply(incident, items, overdue, await issuesOf(l.deps.store, incident.id));
      },
    },
  },
});
