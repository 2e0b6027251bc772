/** The Block Kit pieces every form is built from; each form itself (its ids, limits, builder and schema) lives with its action. */
import type { ContextBlock, InputBlock, InputBlockElement, ModalView, PlainTextInput, PlainTextOption, StaticSelect } from '@slack/types';
import { z } from 'zod';
import { type Incident, incidentRef, type Severity, SEVERITIES, SEVERITY_DESCRIPTIONS } from '../../domain/incident.js';
import { clip, context, esc, LIMIT, oneLine, plain, severityEmoji } from './kit.js';

/** Where Slack puts one input of a form: its block_id, and the action_id of the element inside. */
export interface InputIds {
  readonly block: string;
  readonly action: string;
}

/** A modal with a Cancel button; `metadata` (private_metadata) is what the submission is about, usually the incident id. */
export function modal(callbackId: string, title: string, submit: string, metadata: string | undefined, blocks: ModalView['blocks']): ModalView {
  const view: ModalView = {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, LIMIT.viewTitle),
    submit: plain(submit, LIMIT.viewTitle),
    close: plain('Cancel', LIMIT.viewTitle),
    blocks,
  };
  if (metadata !== undefined) view.private_metadata = metadata.slice(0, LIMIT.privateMetadata);
  return view;
}

/** The line heading a form about an incident: its severity, reference, status and title. */
export function incidentContext(incident: Incident): ContextBlock {
  return context(`${severityEmoji(incident.severity)} *${incidentRef(incident.id)}* (${incident.severity}, ${incident.status}): ${esc(oneLine(incident.title), 500)}`);
}

/** One labelled input of a form. */
export function input(ids: InputIds, label: string, element: InputBlockElement, extra: { optional?: boolean; hint?: string } = {}): InputBlock {
  const block: InputBlock = { type: 'input', block_id: ids.block, label: plain(label, 2000), element };
  if (extra.optional) block.optional = true;
  if (extra.hint) block.hint = plain(extra.hint, 2000);
  return block;
}

/** A text field holding at most `max` characters; a longer prefill is cut to fit. */
export function textInput(ids: InputIds, o: { max: number; initial?: string; multiline?: boolean; placeholder?: string }): PlainTextInput {
  const el: PlainTextInput = { type: 'plain_text_input', action_id: ids.action, max_length: o.max };
  if (o.multiline) el.multiline = true;
  if (o.initial) el.initial_value = clip(o.initial, o.max);
  if (o.placeholder) el.placeholder = plain(o.placeholder, 150);
  return el;
}

/** A choice in a select. */
export function opt(label: string, value: string, description?: string): PlainTextOption {
  const o: PlainTextOption = { text: plain(label, LIMIT.optionText), value };
  if (description) o.description = plain(description, LIMIT.optionText);
  return o;
}

/** SEV1…SEV4, each with what it means, starting at `initial`. */
export function severitySelect(ids: InputIds, initial: Severity): StaticSelect {
  const options = SEVERITIES.map((s) => opt(s, s, SEVERITY_DESCRIPTIONS[s]));
  return { type: 'static_select', action_id: ids.action, options, initial_option: options[SEVERITIES.indexOf(initial)]! };
}

/** A severity picked from `severitySelect`; the one refusal every form that offers it shows. */
export const pickedSeverity = z.enum(SEVERITIES, { error: 'Pick a severity, SEV1 (worst) to SEV4.' });
