/** Modal submissions: validate (errors shown on the field), call the same use case as the command. */
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { addAction } from '../../app/action-items.js';
import { assignRole } from '../../app/assign-role.js';
import { changeSeverity, resolveIncident } from '../../app/change-incident.js';
import { UserError } from '../../app/context.js';
import { declareIncident } from '../../app/declare-incident.js';
import { postUpdate } from '../../app/post-update.js';
import { parseActionSubmission, parseDeclareSubmission, parseResolveSubmission, parseRoleSubmission, parseSeveritySubmission, parseStatuspageSubmission, parseUpdateSubmission } from '../blocks/modals.js';
import { VIEW } from '../ids.js';
import { publishStatus } from '../../app/statuspage.js';
import type { ListenerDeps } from './context.js';
import { idFromValue } from './incident-of.js';
import { FormErrors } from './refusals.js';
import { type Handler, route } from './route.js';
import { incidentRef } from '../../domain/incident.js';

type Values = ViewSubmitAction['view']['state']['values'];
type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
/** Handles a submitted modal about one incident; returns field errors to show, or null when done. */
type IncidentViewHandler = (incidentId: number, values: Values, userId: string, submitKey: string) => Promise<Record<string, string> | null>;

/** Registers every modal submission handler, behind one Bolt listener. */
export function registerViews(app: App, l: ListenerDeps): void {
  const handlers: Record<string, Handler<SubmitArgs>> = {
    [VIEW.declare]: async ({ ack, body, view }) => {
      const input = parseDeclareSubmission(view.state.values);
      if (!input.ok) throw new FormErrors(input.errors);
      // The view id is the same on a double submit, so the same modal never declares twice.
      const { incident, duplicate } = await declareIncident(l.deps, { ...input, userId: body.user.id, requestKey: `view:${view.id}`, responseUrl: null });
      if (incident && !duplicate) l.logger.info({ incident: incidentRef(incident.id), severity: incident.severity, user: body.user.id }, 'incident declared');
      await ack();
    },

    [VIEW.update]: onIncidentView(async (id, values, user, key) => {
      const input = parseUpdateSubmission(values);
      if (!input.ok) return input.errors;
      // One use case, one transaction: the status move and the update land together or not at all.
      await postUpdate(l.deps, id, { text: input.text, status: input.status, nextInMs: input.nextInMs }, user, key);
      return null;
    }),

    [VIEW.role]: parsed(parseRoleSubmission, (id, input, user, key) => assignRole(l.deps, id, input.role, input.userId, user, key)),

    [VIEW.severity]: parsed(parseSeveritySubmission, (id, input, user, key) => changeSeverity(l.deps, id, input.severity, user, key)),

    [VIEW.action]: parsed(parseActionSubmission, (id, input, user, key) => addAction(l.deps, id, { text: input.text, ownerId: input.ownerId, dueDate: input.dueDate }, user, key)),

    [VIEW.resolve]: parsed(parseResolveSubmission, (id, input, user, key) => resolveIncident(l.deps, id, input.summary, user, key)),

    [VIEW.statuspage]: parsed(parseStatuspageSubmission, (id, input, user, key) => publishStatus(l.deps, id, input, user, key)),
  };

  // A RegExp callback id keeps Bolt's view_submission-only constraint, as a string one did.
  const { pattern, listener } = route(handlers, (args) => args.view.callback_id);
  app.view<ViewSubmitAction>(pattern, listener);
}

/** A modal whose fields `parse` validates; valid input goes to `apply` (the use case), invalid input back to the form. */
function parsed<T>(parse: (values: Values) => ({ ok: true } & T) | { ok: false; errors: Record<string, string> }, apply: (incidentId: number, input: T, userId: string, submitKey: string) => Promise<unknown>): Handler<SubmitArgs> {
  return onIncidentView(async (id, values, user, key) => {
    const input = parse(values);
    if (!input.ok) return input.errors;
    await apply(id, input as T, user, key);
    return null;
  });
}

/** A modal about one incident (its id in private_metadata); refusals are shown on the field they are about, else the first. */
function onIncidentView(handle: IncidentViewHandler): Handler<SubmitArgs> {
  return async ({ ack, body, view }) => {
    const id = idFromValue(view.private_metadata);
    if (id === null) throw new UserError('This form lost track of its incident; open it again from the incident channel.');
    // The view id is the same on a double submit (or Slack's retry): the key makes the modal act once, as declare does.
    // Refusals (and a repeat, AlreadyHandled) are answered on the form by the one error path (refusals.ts).
    const errors = await handle(id, view.state.values, body.user.id, `submit:${view.id}`);
    if (errors) throw new FormErrors(errors);
    await ack();
  };
}
