/** The declare form: its ids, limits, builder and the schema its submission is read with. */
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { slackToPlain } from '../../domain/postmortem/index.js';
import { field, form, refuse } from '../blocks/form.js';
import { clip, oneLine } from '../blocks/kit.js';
import { input, modal, pickedSeverity, severitySelect, textInput } from '../blocks/modal-kit.js';

/** The declare form's callback_id. */
export const DECLARE_VIEW = 'declare_incident_modal';

/** The declare form's inputs (block_id → action_id inside). */
export const DECLARE_INPUT = {
  title: { block: 'title', action: 'title_input' },
  severity: { block: 'severity', action: 'severity_select' },
  summary: { block: 'summary', action: 'summary_input' },
  services: { block: 'services', action: 'services_input' },
} as const;

/** Longest incident title accepted. */
export const TITLE_MAX = 200;
/** Longest summary accepted. */
export const SUMMARY_MAX = 3000;
/** Longest single affected-service name. */
export const SERVICE_MAX = 80;
/** Most affected services per incident. */
export const SERVICES_MAX = 20;

const ids = DECLARE_INPUT;

/** The declare modal, optionally prefilled (the message shortcut passes the message as summary). */
export function declareModal(prefill: { summary?: string; title?: string } = {}): ModalView {
  const title = prefill.title ? oneLine(slackToPlain(prefill.title)) : '';
  const summary = prefill.summary ? slackToPlain(prefill.summary).trim() : '';
  return modal(DECLARE_VIEW, 'Declare incident', 'Declare', undefined, [
    input(ids.title, 'Title', textInput(ids.title, { max: TITLE_MAX, initial: title, placeholder: 'What is broken, e.g. Checkout fails for EU customers' })),
    input(ids.severity, 'Severity', severitySelect(ids.severity, 'SEV3'), { hint: 'SEV1 is the worst. Update reminders follow the severity.' }),
    input(ids.summary, 'Summary', textInput(ids.summary, { max: SUMMARY_MAX, initial: summary, multiline: true, placeholder: 'What do we know so far? Who is affected?' }), {
      optional: true,
      // The field holds 3000 characters (Slack's limit): say that a longer message was cut, and where it still is whole.
      ...(summary.length > SUMMARY_MAX ? { hint: `Shortened: the message has ${summary.length} characters and this field holds ${SUMMARY_MAX}. The whole message stays where it was posted.` } : {}),
    }),
    input(ids.services, 'Affected services', textInput(ids.services, { max: SERVICES_MAX * (SERVICE_MAX + 2), placeholder: 'comma-separated, e.g. checkout, payments-api' }), {
      optional: true, hint: `Comma-separated, at most ${SERVICES_MAX}.`,
    }),
  ]);
}

/** Validates the declare modal: title required, services split on commas, trimmed, deduplicated, each ≤ 80 characters, at most 20. */
export const parseDeclareSubmission = form({
  title: field(ids.title, 'text', z.string().transform(oneLine).pipe(z.string()
    .min(1, 'Give the incident a title.')
    .max(TITLE_MAX, { error: (i) => `Keep the title to ${TITLE_MAX} characters (it has ${String(i.input).length}).` }))),
  severity: field(ids.severity, 'option', pickedSeverity),
  summary: field(ids.summary, 'text', z.string().trim().max(SUMMARY_MAX, { error: (i) => `Keep the summary to ${SUMMARY_MAX} characters (it has ${String(i.input).length}).` })),
  services: field(ids.services, 'text', z.string().transform((raw, ctx) => {
    const services = parseServices(raw);
    return typeof services === 'string' ? refuse(ctx, services) : services;
  })),
});

/** Splits a comma-separated services list (newlines count as commas): trimmed, blanks dropped, duplicates (any case) dropped; an error message when invalid. */
export function parseServices(raw: string): string[] | string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of raw.split(/[,\n]/)) {
    const name = oneLine(part);
    if (!name || seen.has(name.toLowerCase())) continue;
    if (name.length > SERVICE_MAX) return `Service names are at most ${SERVICE_MAX} characters; "${clip(name, 30)}" has ${name.length}.`;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  if (out.length > SERVICES_MAX) return `List at most ${SERVICES_MAX} services (there are ${out.length}).`;
  return out;
}
