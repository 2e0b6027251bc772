/** Resolving: typed, or from the summary's button and its form. */
import { subcommand } from '../../domain/command-parser.js';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { incidentRef } from '../../domain/incident.js';
import { resolveIncident } from '../../app/change-incident.js';
import { field, form } from '../blocks/form.js';
import { context } from '../blocks/kit.js';
import { input, modal, textInput } from '../blocks/modal-kit.js';
import { resolvedReply } from '../blocks/replies.js';
import { ACTION } from '../ids.js';
import { slackAction } from './action.js';
import { incidentForm, opensModal } from './surfaces.js';

/** `/incident resolve [summary]`. */
const resolveTyped = subcommand({
  name: 'resolve',
  words: ['resolve'],
  usage: '/incident resolve [summary]',
  parse: (rest) => ({ kind: 'resolve', summary: rest || null }),
});

/** The resolve form's callback_id. */
export const RESOLVE_VIEW = 'resolve_modal';

/** The resolve form's input (block_id → action_id inside). */
export const RESOLVE_INPUT = { summary: { block: 'resolution', action: 'resolution_input' } } as const;

/** Longest resolution summary accepted (what a Slack text input holds). */
export const RESOLUTION_MAX = 3000;

/** The resolve modal with an optional resolution summary; private_metadata is the incident id. */
export function resolveModal(incidentId: number): ModalView {
  return modal(RESOLVE_VIEW, 'Resolve incident', 'Resolve', String(incidentId), [
    context(`Resolving *${incidentRef(incidentId)}* stops update reminders and starts the postmortem clock.`),
    input(RESOLVE_INPUT.summary, 'Resolution summary', textInput(RESOLVE_INPUT.summary, { max: RESOLUTION_MAX, multiline: true, placeholder: 'What fixed it?' }), { optional: true }),
  ]);
}

/** Validates the resolve modal; a blank summary is null. */
export const parseResolveSubmission = form({
  summary: field(RESOLVE_INPUT.summary, 'text', z.string().trim().max(RESOLUTION_MAX, `Keep the summary to ${RESOLUTION_MAX} characters.`).transform((v) => v || null)),
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
  views: { [RESOLVE_VIEW]: incidentForm(parseResolveSubmission, (l, id, input, user, key) => resolveIncident(l.deps, id, input.summary, user, key)) },
});
