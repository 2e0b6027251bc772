/** The status page form: its ids, builder and the schema its submission is read with. */
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { Incident, Status } from '../../domain/incident.js';
import { MAX_PUBLIC_MESSAGE, PUBLIC_STATUS_LABELS, PUBLIC_STATUSES, type PublicStatus, parsePublicStatus } from '../../domain/statuspage.js';
import { field, form, refuse } from '../blocks/form.js';
import { clip, context } from '../blocks/kit.js';
import { incidentContext, input, modal, opt, textInput } from '../blocks/modal-kit.js';

/** The status page form's callback_id. */
export const STATUSPAGE_VIEW = 'statuspage_modal';

/** The status page form's inputs (block_id → action_id inside). */
export const STATUSPAGE_INPUT = {
  status: { block: 'public_status', action: 'public_status_select' },
  message: { block: 'public_message', action: 'public_message_input' },
} as const;

const ids = STATUSPAGE_INPUT;

/** The public status an incident's status suggests (Statuspage has no "mitigating": that is still "identified"). */
export function suggestedPublicStatus(status: Status): PublicStatus {
  if (status === 'mitigating') return 'identified';
  if (status === 'closed') return 'resolved';
  return status;
}

/** The status page modal, prefilled with the last internal update so the Comms Lead edits rather than retypes it. */
export function statuspageModal(incident: Incident, o: { current: PublicStatus | null; lastUpdate: string | null }): ModalView {
  const options = PUBLIC_STATUSES.map((s) => opt(PUBLIC_STATUS_LABELS[s], s));
  const initial = options[PUBLIC_STATUSES.indexOf(o.current && incident.status !== 'resolved' ? o.current : suggestedPublicStatus(incident.status))];
  const prefill = o.lastUpdate?.trim() ? clip(o.lastUpdate.trim(), MAX_PUBLIC_MESSAGE) : undefined;
  return modal(STATUSPAGE_VIEW, 'Publish to status page', 'Publish', String(incident.id), [
    incidentContext(incident),
    context(o.current ? `The status page now says *${PUBLIC_STATUS_LABELS[o.current]}*; publishing adds an update to the same incident.` : 'Nothing is published yet; publishing creates the incident on the status page.'),
    input(ids.status, 'Public status', { type: 'static_select', action_id: ids.status.action, options, ...(initial ? { initial_option: initial } : {}) }),
    input(ids.message, 'Message for customers', textInput(ids.message, { max: MAX_PUBLIC_MESSAGE, multiline: true, ...(prefill ? { initial: prefill } : {}), placeholder: 'What customers see: impact, what we are doing, when they will hear next' }),
      { hint: 'Prefilled with the last internal update: edit it for a public audience.' }),
  ]);
}

/** Validates the status page modal. */
export const parseStatuspageSubmission = form({
  status: field(ids.status, 'option', z.string().nullable().transform((raw, ctx) => parsePublicStatus(raw ?? '') ?? refuse(ctx, 'Pick the public status.'))),
  message: field(ids.message, 'text', z.string().trim().min(1, 'Say what the status page should tell customers.').max(MAX_PUBLIC_MESSAGE, `Keep this to ${MAX_PUBLIC_MESSAGE} characters.`)),
});
