/** A status update: typed, or from the form (command without text, summary button). */
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { subcommand } from '../../domain/command-parser.js';
import { parseDuration } from '../../domain/duration.js';
import { type Incident, type Status, STATUSES } from '../../domain/incident.js';
import { postUpdate } from '../../app/post-update.js';
import { field, form, type Parsed, type SubmissionValues } from '../blocks/form.js';
import { plain, statusLabel } from '../blocks/kit.js';
import { incidentContext, input, modal, opt, textInput } from '../blocks/modal-kit.js';
import { updatePostedReply } from '../blocks/replies.js';
import { ACTION } from '../ids.js';
import { slackAction } from './action.js';
import { incidentForm, opensModal } from './surfaces.js';

/** `/incident update [text]`; no text opens the form. */
const updateTyped = subcommand({
  name: 'update',
  words: ['update'],
  usage: '/incident update [text]',
  parse: (rest) => (rest ? { kind: 'update', text: rest } : { kind: 'update_modal' }),
});

/** The update form's callback_id. */
export const UPDATE_VIEW = 'status_update_modal';

/** The update form's inputs (block_id → action_id inside). */
export const UPDATE_INPUT = {
  status: { block: 'update_status', action: 'update_status_select' },
  known: { block: 'known', action: 'known_input' },
  doing: { block: 'doing', action: 'doing_input' },
  nextIn: { block: 'next_in', action: 'next_in_select' },
} as const;

/** Longest "what we know" / "what we are doing" part of an update. */
export const UPDATE_PART_MAX = 1500;
/** Statuses a status update can set. */
export const UPDATE_STATUSES = ['investigating', 'identified', 'mitigating', 'monitoring'] as const;
/** "Next update in" choices of the update modal. */
export const NEXT_UPDATE_CHOICES = ['15m', '30m', '1h', '2h', '4h'] as const;

const ids = UPDATE_INPUT;

/** The status update modal; private_metadata is the incident id. */
export function updateModal(incident: Incident): ModalView {
  const statuses: Status[] = [...UPDATE_STATUSES];
  if (!statuses.includes(incident.status)) statuses.push(incident.status);
  const statusOptions = statuses.map((s) => opt(statusLabel(s), s));
  const initial = statusOptions[statuses.indexOf(incident.status)];
  return modal(UPDATE_VIEW, 'Post status update', 'Post update', String(incident.id), [
    incidentContext(incident),
    input(ids.status, 'Current status', { type: 'static_select', action_id: ids.status.action, options: statusOptions, ...(initial ? { initial_option: initial } : {}) }),
    input(ids.known, 'What we know', textInput(ids.known, { max: UPDATE_PART_MAX, multiline: true, placeholder: 'Impact, cause (if known), what changed since the last update' })),
    input(ids.doing, 'What we are doing', textInput(ids.doing, { max: UPDATE_PART_MAX, multiline: true, placeholder: 'Mitigations in progress, next steps' }), { optional: true }),
    input(ids.nextIn, 'Next update in', {
      type: 'static_select', action_id: ids.nextIn.action, placeholder: plain('Follow the cadence', 150), options: NEXT_UPDATE_CHOICES.map((c) => opt(c, c)),
    }, { optional: true, hint: 'Leave empty to follow the update cadence of this severity.' }),
  ]);
}

const updateFields = form({
  status: field(ids.status, 'option', z.enum(STATUSES.filter((st): st is Exclude<Status, 'closed'> => st !== 'closed'), { error: 'Pick the current status.' })),
  known: field(ids.known, 'text', z.string().trim().min(1, 'Say what we know so far.').max(UPDATE_PART_MAX, `Keep this to ${UPDATE_PART_MAX} characters.`)),
  doing: field(ids.doing, 'text', z.string().trim().max(UPDATE_PART_MAX, `Keep this to ${UPDATE_PART_MAX} characters.`)),
  nextInMs: field(ids.nextIn, 'option', z.enum(NEXT_UPDATE_CHOICES, { error: `Pick one of ${NEXT_UPDATE_CHOICES.join(', ')}.` }).nullable()
    .transform((choice) => (choice === null ? null : parseDuration(choice, false) ?? null))),
});

/** Validates the update modal; `text` joins "what we know" and "what we are doing". */
export function parseUpdateSubmission(values: SubmissionValues): Parsed<{ status: Exclude<Status, 'closed'>; text: string; nextInMs: number | null }> {
  const input = updateFields(values);
  if (!input.ok) return input;
  const { status, known, doing, nextInMs } = input;
  return { ok: true, status, text: doing ? `What we know: ${known}\nWhat we are doing: ${doing}` : `What we know: ${known}`, nextInMs };
}

/** The update action. */
export const updateAction = slackAction({
  typed: [updateTyped],
  help: [[updateTyped.usage, 'post a status update (no text opens the update form); resets the update clock']],
  commands: {
    update: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => {
        await postUpdate(l.deps, incident.id, { text: cmd.text }, user);
        return updatePostedReply(incident.id);
      },
    },
    update_modal: { where: 'incident', run: async (_cmd, { incident }) => ({ modal: updateModal(incident), typed: '`/incident update &lt;text&gt;`' }) },
  },
  buttons: { [ACTION.postUpdate]: opensModal((incident) => updateModal(incident)) },
  // One use case, one transaction: the status move and the update land together or not at all.
  views: { [UPDATE_VIEW]: incidentForm(parseUpdateSubmission, (l, id, input, user, key) => postUpdate(l.deps, id, { text: input.text, status: input.status, nextInMs: input.nextInMs }, user, key)) },
});
