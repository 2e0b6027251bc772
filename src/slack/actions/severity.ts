/** Changing the severity: typed, or from the summary's button and its form. */
import { COMMAND_USAGE } from '../../domain/help.js';
import { changeSeverity } from '../../app/change-incident.js';
import { parseSeveritySubmission, severityModal } from '../blocks/modals.js';
import { severityChangedReply } from '../blocks/replies.js';
import { ACTION, VIEW } from '../ids.js';
import { slackAction } from './action.js';
import { incidentForm, opensModal } from './surfaces.js';

/** The severity action. */
export const severityAction = slackAction({
  help: [[COMMAND_USAGE.severity!, 'change the severity (alias `sev`)']],
  commands: {
    severity: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => severityChangedReply(incident.id, (await changeSeverity(l.deps, incident.id, cmd.severity, user)).from, cmd.severity),
    },
  },
  buttons: { [ACTION.changeSeverity]: opensModal((incident) => severityModal(incident)) },
  views: { [VIEW.severity]: incidentForm(parseSeveritySubmission, (l, id, input, user, key) => changeSeverity(l.deps, id, input.severity, user, key)) },
});
