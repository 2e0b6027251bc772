/** What several actions' buttons and modals share: finding the incident a button or form is about, opening a form, reading one. */
import type { BlockAction } from '@slack/bolt';
import type { View } from '@slack/types';
import { UserError } from '../../app/context.js';
import { type Incident, incidentRef } from '../../domain/incident.js';
import type { FormParser, SubmissionValues } from '../blocks/form.js';
import type { ListenerDeps } from '../listeners/context.js';
import { idFromValue } from '../listeners/incident-of.js';
import { FormErrors } from '../listeners/refusals.js';
import { SlackCallError, type SlackApi } from '../slack-api.js';
import type { ButtonArgs, SubmitArgs } from './action.js';

/** The id of the incident a button is about; a message button only counts in that incident's own channel. */
export async function incidentFor(l: ListenerDeps, value: string | undefined, body: BlockAction): Promise<number | null> {
  return (await incidentOfButton(l, value, body))?.id ?? null;
}

/** The incident a button is about, or null (unknown, or pressed in another channel). */
async function incidentOfButton(l: ListenerDeps, value: string | undefined, body: BlockAction): Promise<Incident | null> {
  const id = idFromValue(value);
  if (id === null) return null;
  const incident = await l.deps.store.incidents.get(id);
  if (!incident) return null;
  const channel = body.channel?.id;
  // Buttons on messages act only from the incident's own channel; App Home buttons carry no channel.
  if (channel && body.container?.type === 'message' && channel !== incident.channelId) {
    l.logger.warn({ incident: incidentRef(id), channel }, 'refused a button for an incident from another channel');
    return null;
  }
  return incident;
}

/**
 * Opens a form from a trigger (one place, so every form opens the same way), through the one door to Slack (breaker,
 * metrics, log) rather than Bolt's own client. A transient failure that did not time out (a 5xx, a reset) is tried once
 * more at once, while the 3 s trigger still lives, as Bolt's client did; anything else is the caller's to tell the person.
 */
export async function openView(api: SlackApi, triggerId: string, view: View): Promise<void> {
  try {
    await api.web.views.open({ trigger_id: triggerId, view });
  } catch (err) {
    if (!(err instanceof SlackCallError && err.failure.kind === 'transient' && err.failure.settleMs === undefined)) throw err;
    await api.web.views.open({ trigger_id: triggerId, view });
  }
}

/** A button that opens a form about its incident, built from the incident. */
export function opensModal(build: (incident: Incident, l: ListenerDeps) => View | Promise<View>) {
  return async ({ ack, action, body }: ButtonArgs, l: ListenerDeps): Promise<void> => {
    await ack();
    const incident = await incidentOfButton(l, action.value, body);
    if (incident) await openView(l.api, body.trigger_id, await build(incident, l));
  };
}

/**
 * A form about one incident (its id in private_metadata): `parse` checks the fields, `apply` calls the use case.
 * The view id is the same on a double submit (or Slack's retry): the key makes the form act once. Refusals, and
 * a repeat (AlreadyHandled), are answered on the form by the one error path.
 */
export function incidentForm<T>(parse: FormParser<T>, apply: (l: ListenerDeps, incidentId: number, input: T, userId: string, submitKey: string) => Promise<unknown>) {
  return async ({ ack, body, view }: SubmitArgs, l: ListenerDeps): Promise<void> => {
    const id = idFromValue(view.private_metadata);
    if (id === null) throw new UserError('This form lost track of its incident; open it again from the incident channel.');
    await submitForm(parse, view.state.values, (input) => apply(l, id, input, body.user.id, `submit:${view.id}`));
    await ack();
  };
}

/**
 * Reads a submitted form and hands its input to `apply`; refusals go to the one error path, each on its field: the
 * form's own, and a use case's refusal about one of its inputs (UserError.field), whose block only the form knows.
 */
export async function submitForm<T>(parse: FormParser<T>, values: SubmissionValues, apply: (input: T) => Promise<unknown>): Promise<void> {
  const input = parse(values);
  if (!input.ok) throw new FormErrors(input.errors);
  try {
    await apply(input);
  } catch (err) {
    const block = err instanceof UserError && err.field ? parse.blockOf?.(err.field) : undefined;
    if (block) throw new FormErrors({ [block]: (err as UserError).message });
    throw err;
  }
}

/** The incident id a one-shot prompt's button carries; a refusal when the value is unreadable. */
export function lostTrackUnless(id: number | null): number {
  if (id === null) throw new UserError('This button lost track of its incident.');
  return id;
}
