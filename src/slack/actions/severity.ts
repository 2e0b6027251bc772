/** Changing the severity: typed, or from the summary's button and its form. */
import { parseSeverity, show, subcommand } from '../../domain/command-parser.js';
import type { ModalView } from '@slack/types';
import type { Incident, Severity } from '../../domain/incident.js';
import { changeSeverity } from '../../app/change-incident.js';
import { field, form } from '../blocks/form.js';
import { incidentContext, input, modal, pickedSeverity, severitySelect } from '../blocks/modal-kit.js';
import { severityChangedReply } from '../blocks/replies.js';
import { ACTION } from '../ids.js';
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

/** The change-severity form's callback_id. */
export const SEVERITY_VIEW = 'change_severity_modal';

/** The change-severity form's input (block_id → action_id inside). */
export const SEVERITY_INPUT = { severity: { block: 'severity', action: 'severity_select' } } as const;

/** The change-severity modal, starting at the current severity; private_metadata is the incident id. */
export function severityModal(incident: Incident): ModalView {
  return modal(SEVERITY_VIEW, 'Change severity', 'Change', String(incident.id), [
    incidentContext(incident),
    input(SEVERITY_INPUT.severity, 'New severity', severitySelect(SEVERITY_INPUT.severity, incident.severity), { hint: 'Update reminders are re-planned from the new severity\'s cadence.' }),
  ]);
}

/** Validates the change-severity modal. */
export const parseSeveritySubmission = form({ severity: field(SEVERITY_INPUT.severity, 'option', pickedSeverity) });

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
  views: { [SEVERITY_VIEW]: incidentForm(parseSeveritySubmission, (l, id, input, user, key) => changeSeverity(l.deps, id, input.severity, user, key)) },
});
