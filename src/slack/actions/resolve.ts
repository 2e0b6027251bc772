/** Resolving: typed, or from the summary's button and its form. */
import { subcommand } from '../../domain/command-parser.js';
import { resolveIncident } from '../../app/change-incident.js';
import { parseResolveSubmission, resolveModal } from '../blocks/modals.js';
import { resolvedReply } from '../blocks/replies.js';
import { ACTION, VIEW } from '../ids.js';
import { slackAction } from './action.js';
import { incidentForm, opensModal } from './surfaces.js';

/** `/incident resolve [summary]`. */
const resolveTyped = subcommand({
  name: 'resolve',
  words: ['resolve'],
  usage: '/incident resolve [summary]',
  parse: (rest) => ({ kind: 'resolve', summary: rest || null }),
});

/** The resolve action. */
export const resolveAction = slackAction({
  typed: [resolveTyped],
  help: [[resolveTyped.usage, 'resolve: reminders stop and the postmortem clock starts']],
  commands: {
    resolve: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => {
        await resolveIncident(l.deps, incident.id, cmd.summary, user);
        return resolvedReply(incident.id);
      },
    },
  },
  buttons: { [ACTION.resolve]: opensModal((incident) => resolveModal(incident.id)) },
  views: { [VIEW.resolve]: incidentForm(parseResolveSubmission, (l, id, input, user, key) => resolveIncident(l.deps, id, input.summary, user, key)) },
});
