/** Modals (declare, status update, role, severity, action item, resolve) and the parsers of their submissions. */
import type { ContextBlock, InputBlock, InputBlockElement, ModalView, PlainTextInput, PlainTextOption, StaticSelect } from '@slack/types';
import { isCalendarDate } from '../../domain/command-parser.js';
import { parseDuration } from '../../domain/duration.js';
import type { Incident, Role, Severity, Status } from '../../domain/incident.js';
import { incidentRef, ROLE_NAMES, ROLES, SEVERITIES, SEVERITY_DESCRIPTIONS, STATUSES } from '../../domain/incident.js';
import { MAX_PUBLIC_MESSAGE, PUBLIC_STATUS_LABELS, PUBLIC_STATUSES, type PublicStatus, parsePublicStatus } from '../../domain/statuspage.js';
import { INPUT, VIEW } from '../ids.js';
import { field, form, type Parsed, refuse, type SubmissionValues } from './form.js';
import { z } from 'zod';
import { clip, context, esc, LIMIT, oneLine, plain, severityEmoji, statusLabel } from './kit.js';
import { slackToPlain } from '../../domain/postmortem/index.js';

/** Longest incident title accepted. */
export const TITLE_MAX = 200;
/** Longest summary (and resolution summary) accepted. */
export const SUMMARY_MAX = 3000;
/** Longest single affected-service name. */
export const SERVICE_MAX = 80;
/** Most affected services per incident. */
export const SERVICES_MAX = 20;
/** Longest "what we know" / "what we are doing" part of an update. */
export const UPDATE_PART_MAX = 1500;
/** Longest action item text. */
export const ACTION_TEXT_MAX = 1000;

/** Statuses a status update can set. */
export const UPDATE_STATUSES = ['investigating', 'identified', 'mitigating', 'monitoring'] as const;
/** "Next update in" choices of the update modal. */
export const NEXT_UPDATE_CHOICES = ['15m', '30m', '1h', '2h', '4h'] as const;

export type { Parsed, SubmissionValues, SubmittedValue } from './form.js';

type Input = { readonly block: string; readonly action: string };

// A severity picked from the select; the one refusal both forms that offer it show.
const severity = z.enum(SEVERITIES, { error: 'Pick a severity, SEV1 (worst) to SEV4.' });

/** The declare modal, optionally prefilled (the message shortcut passes the message as summary). */
export function declareModal(prefill: { summary?: string; title?: string } = {}): ModalView {
  const title = prefill.title ? oneLine(slackToPlain(prefill.title)) : '';
  const summary = prefill.summary ? slackToPlain(prefill.summary).trim() : '';
  return modal(VIEW.declare, 'Declare incident', 'Declare', undefined, [
    input(INPUT.title, 'Title', textInput(INPUT.title, { max: TITLE_MAX, initial: title, placeholder: 'What is broken, e.g. Checkout fails for EU customers' })),
    input(INPUT.severity, 'Severity', severitySelect('SEV3'), { hint: 'SEV1 is the worst. Update reminders follow the severity.' }),
    input(INPUT.summary, 'Summary', textInput(INPUT.summary, { max: SUMMARY_MAX, initial: summary, multiline: true, placeholder: 'What do we know so far? Who is affected?' }), {
      optional: true,
      // The field holds 3000 characters (Slack's limit): say that a longer message was cut, and where it still is whole.
      ...(summary.length > SUMMARY_MAX ? { hint: `Shortened: the message has ${summary.length} characters and this field holds ${SUMMARY_MAX}. The whole message stays where it was posted.` } : {}),
    }),
    input(INPUT.services, 'Affected services', textInput(INPUT.services, { max: SERVICES_MAX * (SERVICE_MAX + 2), placeholder: 'comma-separated, e.g. checkout, payments-api' }), {
      optional: true, hint: `Comma-separated, at most ${SERVICES_MAX}.`,
    }),
  ]);
}

/** Validates the declare modal: title required, services split on commas, trimmed, deduplicated, each ≤ 80 characters, at most 20. */
export const parseDeclareSubmission = form({
  title: field(INPUT.title, 'text', z.string().transform(oneLine).pipe(z.string()
    .min(1, 'Give the incident a title.')
    .max(TITLE_MAX, { error: (i) => `Keep the title to ${TITLE_MAX} characters (it has ${String(i.input).length}).` }))),
  severity: field(INPUT.severity, 'option', severity),
  summary: field(INPUT.summary, 'text', z.string().trim().max(SUMMARY_MAX, { error: (i) => `Keep the summary to ${SUMMARY_MAX} characters (it has ${String(i.input).length}).` })),
  services: field(INPUT.services, 'text', z.string().transform((raw, ctx) => {
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

/** The status update modal; private_metadata is the incident id. */
export function updateModal(incident: Incident): ModalView {
  const statuses: Status[] = [...UPDATE_STATUSES];
  if (!statuses.includes(incident.status)) statuses.push(incident.status);
  const statusOptions = statuses.map((s) => opt(statusLabel(s), s));
  const initial = statusOptions[statuses.indexOf(incident.status)];
  return modal(VIEW.update, 'Post status update', 'Post update', String(incident.id), [
    incidentContext(incident),
    input(INPUT.updateStatus, 'Current status', { type: 'static_select', action_id: INPUT.updateStatus.action, options: statusOptions, ...(initial ? { initial_option: initial } : {}) }),
    input(INPUT.known, 'What we know', textInput(INPUT.known, { max: UPDATE_PART_MAX, multiline: true, placeholder: 'Impact, cause (if known), what changed since the last update' })),
    input(INPUT.doing, 'What we are doing', textInput(INPUT.doing, { max: UPDATE_PART_MAX, multiline: true, placeholder: 'Mitigations in progress, next steps' }), { optional: true }),
    input(INPUT.nextIn, 'Next update in', {
      type: 'static_select', action_id: INPUT.nextIn.action, placeholder: plain('Follow the cadence', 150), options: NEXT_UPDATE_CHOICES.map((c) => opt(c, c)),
    }, { optional: true, hint: 'Leave empty to follow the update cadence of this severity.' }),
  ]);
}

const updateFields = form({
  status: field(INPUT.updateStatus, 'option', z.enum(STATUSES.filter((st): st is Exclude<Status, 'closed'> => st !== 'closed'), { error: 'Pick the current status.' })),
  known: field(INPUT.known, 'text', z.string().trim().min(1, 'Say what we know so far.').max(UPDATE_PART_MAX, `Keep this to ${UPDATE_PART_MAX} characters.`)),
  doing: field(INPUT.doing, 'text', z.string().trim().max(UPDATE_PART_MAX, `Keep this to ${UPDATE_PART_MAX} characters.`)),
  nextInMs: field(INPUT.nextIn, 'option', z.enum(NEXT_UPDATE_CHOICES, { error: `Pick one of ${NEXT_UPDATE_CHOICES.join(', ')}.` }).nullable()
    .transform((choice) => (choice === null ? null : parseDuration(choice, false) ?? null))),
});

/** Validates the update modal; `text` joins "what we know" and "what we are doing". */
export function parseUpdateSubmission(values: SubmissionValues): Parsed<{ status: Exclude<Status, 'closed'>; text: string; nextInMs: number | null }> {
  const input = updateFields(values);
  if (!input.ok) return input;
  const { status, known, doing, nextInMs } = input;
  return { ok: true, status, text: doing ? `What we know: ${known}\nWhat we are doing: ${doing}` : `What we know: ${known}`, nextInMs };
}

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
  return modal(VIEW.statuspage, 'Publish to status page', 'Publish', String(incident.id), [
    incidentContext(incident),
    context(o.current ? `The status page now says *${PUBLIC_STATUS_LABELS[o.current]}*; publishing adds an update to the same incident.` : 'Nothing is published yet; publishing creates the incident on the status page.'),
    input(INPUT.publicStatus, 'Public status', { type: 'static_select', action_id: INPUT.publicStatus.action, options, ...(initial ? { initial_option: initial } : {}) }),
    input(INPUT.publicMessage, 'Message for customers', textInput(INPUT.publicMessage, { max: MAX_PUBLIC_MESSAGE, multiline: true, ...(prefill ? { initial: prefill } : {}), placeholder: 'What customers see: impact, what we are doing, when they will hear next' }),
      { hint: 'Prefilled with the last internal update: edit it for a public audience.' }),
  ]);
}

/** Validates the status page modal. */
export const parseStatuspageSubmission = form({
  status: field(INPUT.publicStatus, 'option', z.string().nullable().transform((raw, ctx) => parsePublicStatus(raw ?? '') ?? refuse(ctx, 'Pick the public status.'))),
  message: field(INPUT.publicMessage, 'text', z.string().trim().min(1, 'Say what the status page should tell customers.').max(MAX_PUBLIC_MESSAGE, `Keep this to ${MAX_PUBLIC_MESSAGE} characters.`)),
});

/** The assign-role modal: which role and who; private_metadata is the incident id. */
export function roleModal(incidentId: number, role?: Role): ModalView {
  const options = ROLES.map((r) => opt(ROLE_NAMES[r], r));
  const initial = role ? options[ROLES.indexOf(role)] : undefined;
  return modal(VIEW.role, 'Assign role', 'Assign', String(incidentId), [
    context(`*${incidentRef(incidentId)}*: the person is invited to the channel and told their duties.`),
    input(INPUT.role, 'Role', { type: 'static_select', action_id: INPUT.role.action, options, placeholder: plain('Pick a role', 150), ...(initial ? { initial_option: initial } : {}) }),
    input(INPUT.user, 'Person', { type: 'users_select', action_id: INPUT.user.action, placeholder: plain('Pick a person', 150) }),
  ]);
}

/** Validates the assign-role modal. */
export const parseRoleSubmission = form({
  role: field(INPUT.role, 'option', z.enum(ROLES, { error: 'Pick a role: Incident Commander, Technical Lead or Communications Lead.' })),
  userId: field(INPUT.user, 'user', z.string({ error: 'Pick the person who takes the role.' }).min(1, 'Pick the person who takes the role.')),
});

/** The change-severity modal, starting at the current severity; private_metadata is the incident id. */
export function severityModal(incident: Incident): ModalView {
  return modal(VIEW.severity, 'Change severity', 'Change', String(incident.id), [
    incidentContext(incident),
    input(INPUT.severity, 'New severity', severitySelect(incident.severity), { hint: 'Update reminders are re-planned from the new severity\'s cadence.' }),
  ]);
}

/** Validates the change-severity modal. */
export const parseSeveritySubmission = form({ severity: field(INPUT.severity, 'option', severity) });

/** The add-action-item modal: text, optional owner and due date; private_metadata is the incident id. */
export function actionModal(incidentId: number): ModalView {
  return modal(VIEW.action, 'Add action item', 'Add', String(incidentId), [
    context(`Follow-up for *${incidentRef(incidentId)}*.`),
    input(INPUT.actionText, 'What needs doing', textInput(INPUT.actionText, { max: ACTION_TEXT_MAX, multiline: true, placeholder: 'e.g. Add an alert on checkout error rate' })),
    input(INPUT.owner, 'Owner', { type: 'users_select', action_id: INPUT.owner.action, placeholder: plain('Pick an owner', 150) }, { optional: true }),
    input(INPUT.due, 'Due date', { type: 'datepicker', action_id: INPUT.due.action, placeholder: plain('Pick a date', 150) }, { optional: true }),
  ]);
}

/** Validates the add-action-item modal; the date must be a real YYYY-MM-DD date. */
export const parseActionSubmission = form({
  text: field(INPUT.actionText, 'text', z.string().trim().min(1, 'Say what needs doing.').max(ACTION_TEXT_MAX, `Keep this to ${ACTION_TEXT_MAX} characters.`)),
  ownerId: field(INPUT.owner, 'user', z.string().nullable().transform((v) => v || null)),
  dueDate: field(INPUT.due, 'date', z.string().nullable().transform((v) => v || null).refine((d) => d === null || isCalendarDate(d), 'Pick a real date (YYYY-MM-DD).')),
});

/** The resolve modal with an optional resolution summary; private_metadata is the incident id. */
export function resolveModal(incidentId: number): ModalView {
  return modal(VIEW.resolve, 'Resolve incident', 'Resolve', String(incidentId), [
    context(`Resolving *${incidentRef(incidentId)}* stops update reminders and starts the postmortem clock.`),
    input(INPUT.resolution, 'Resolution summary', textInput(INPUT.resolution, { max: SUMMARY_MAX, multiline: true, placeholder: 'What fixed it?' }), { optional: true }),
  ]);
}

/** Validates the resolve modal; a blank summary is null. */
export const parseResolveSubmission = form({
  summary: field(INPUT.resolution, 'text', z.string().trim().max(SUMMARY_MAX, `Keep the summary to ${SUMMARY_MAX} characters.`).transform((v) => v || null)),
});

function modal(callbackId: string, title: string, submit: string, metadata: string | undefined, blocks: ModalView['blocks']): ModalView {
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

function incidentContext(incident: Incident): ContextBlock {
  return context(`${severityEmoji(incident.severity)} *${incidentRef(incident.id)}* (${incident.severity}, ${incident.status}): ${esc(oneLine(incident.title), 500)}`);
}

function input(ids: Input, label: string, element: InputBlockElement, extra: { optional?: boolean; hint?: string } = {}): InputBlock {
  const block: InputBlock = { type: 'input', block_id: ids.block, label: plain(label, 2000), element };
  if (extra.optional) block.optional = true;
  if (extra.hint) block.hint = plain(extra.hint, 2000);
  return block;
}

function textInput(ids: Input, o: { max: number; initial?: string; multiline?: boolean; placeholder?: string }): PlainTextInput {
  const el: PlainTextInput = { type: 'plain_text_input', action_id: ids.action, max_length: o.max };
  if (o.multiline) el.multiline = true;
  if (o.initial) el.initial_value = clip(o.initial, o.max);
  if (o.placeholder) el.placeholder = plain(o.placeholder, 150);
  return el;
}

function severitySelect(initial: Severity): StaticSelect {
  const options = SEVERITIES.map((s) => opt(s, s, SEVERITY_DESCRIPTIONS[s]));
  return { type: 'static_select', action_id: INPUT.severity.action, options, initial_option: options[SEVERITIES.indexOf(initial)]! };
}

function opt(label: string, value: string, description?: string): PlainTextOption {
  const o: PlainTextOption = { text: plain(label, LIMIT.optionText), value };
  if (description) o.description = plain(description, LIMIT.optionText);
  return o;
}

