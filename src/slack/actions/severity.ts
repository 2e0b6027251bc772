/** Changing the severity: typed, or from the summary's button and its form. */
import { parseSeverity, show, subcommand } from '../../domain/command-parser.js';
import type { Severity } from '../../domain/incident.js';
import { changeSeverity } from '../../app/change-incident.js';
import { parseSeveritySubmission, severityModal } from '../blocks/modals.js';
import { severityChangedReply } from '../blocks/replies.js';
import { ACTION, VIEW } from '../ids.js';
import { slackAction } from './action.js';
import { incidentForm, opensModal } from './surfaces.js';

/** `/incident severity <sev1-4>` (alias `sev`; a bare digit counts). */
const severityTyped = subcommand({
  name: 'severity',
  words: ['severity', 'sev'],
  usage: '/incident severity <sev1-4>',
  parse: (_rest, tokens, p) => {
    const [word, extra] = tokens;
    if (word === undefined) return p.fail('severity', 'Say the new severity: sev1 (worst) to sev4.');
    if (extra !== undefined) return p.fail('severity', 'Give just one severity, nothing after it.');
    const sev = parseSeverity(word) ?? (/^[1-4]$/.test(word) ? (`SEV${word}` as Severity) : undefined);
    return sev ? { kind: 'severity', severity: sev } : p.fail('severity', `Bad severity ${show(word)}: use sev1 (worst) to sev4.`);
  },
});

/** The severity action. */
export const severityAction = slackAction({
  typed: [severityTyped],
  help: [[severityTyped.usage, 'change the severity (alias `sev`)']],
  commands: {
    severity: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => severityChangedReply(incident.id, (await changeSeverity(l.deps, incident.id, cmd.severity, user)).from, cmd.severity),
    },
  },
  buttons: { [ACTION.changeSeverity]: opensModal((incident) => severityModal(incident)) },
  views: { [VIEW.severity]: incidentForm(parseSeveritySubmission, (l, id, input, user, key) => changeSeverity(l.deps, id, input.severity, user, key)) },
});
