/** Buttons on the pinned summary, App Home and lists: each opens a modal or calls the same use case as the command. */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { View } from '@slack/types';
import { completeAction } from '../../app/action-items.js';
import { UserError } from '../../app/context.js';
import { cancelIncident, declareIncident, retryChannel } from '../../app/declare-incident.js';
import { requestPostmortem } from '../../app/postmortem.js';
import type { Severity } from '../../domain/incident.js';
import { actionDoneReply, cancelledReply, declaringReply, retryingChannelReply } from '../blocks/replies.js';
import { actionModal, declareModal, resolveModal, roleModal, severityModal, statuspageModal, updateModal } from '../blocks/modals.js';
import { statuspageFormOf } from '../../app/queries.js';
import { ACTION } from '../ids.js';
import type { ListenerDeps } from './context.js';
import { idFromValue } from './incident-of.js';
import { refusalReplacesOriginal } from './refusals.js';
import { type Handler, route } from './route.js';
import { incidentRef } from '../../domain/incident.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Registers every button handler, behind one Bolt listener. */
export function registerActions(app: App, l: ListenerDeps): void {
  const opensModal = (build: (id: number) => View): Handler<ButtonArgs> => async ({ ack, action, body, client }) => {
    await ack();
    const id = await incidentFor(l, action.value, body);
    if (id === null) return;
    await client.views.open({ trigger_id: body.trigger_id, view: build(id) });
  };

  const handlers: Record<string, Handler<ButtonArgs>> = {
    [ACTION.assignRole]: opensModal((id) => roleModal(id)),
    [ACTION.addAction]: opensModal((id) => actionModal(id)),
    [ACTION.resolve]: opensModal((id) => resolveModal(id)),

    [ACTION.changeSeverity]: async ({ ack, action, body, client }) => {
      await ack();
      const id = await incidentFor(l, action.value, body);
      const incident = id === null ? null : await l.deps.store.incidents.get(id);
      if (incident) await client.views.open({ trigger_id: body.trigger_id, view: severityModal(incident) });
    },

    [ACTION.postUpdate]: async ({ ack, action, body, client }) => {
      await ack();
      const id = await incidentFor(l, action.value, body);
      const incident = id === null ? null : await l.deps.store.incidents.get(id);
      if (incident) await client.views.open({ trigger_id: body.trigger_id, view: updateModal(incident) });
    },

    [ACTION.statuspage]: async ({ ack, action, body, client }) => {
      await ack();
      const id = await incidentFor(l, action.value, body);
      const incident = id === null ? null : await l.deps.store.incidents.get(id);
      if (incident) await client.views.open({ trigger_id: body.trigger_id, view: statuspageModal(incident, await statuspageFormOf(l.deps.store, incident.id)) });
    },

    [ACTION.declare]: async ({ ack, body, client }) => {
      await ack();
      await client.views.open({ trigger_id: body.trigger_id, view: declareModal({}) });
    },

    // A link button: Slack opens the channel itself and still sends the click, which only needs an ack.
    [ACTION.goToIncident]: async ({ ack }) => { await ack(); },

    [ACTION.declareAnyway]: async ({ ack, action, body, context, respond }) => {
      // Committed before the ack, so a crash after it loses nothing; the same button clicked twice declares once.
      refusalReplacesOriginal(context);
      const reply = await declareAnyway(l.deps, action.value ?? '', body.user.id, body.response_url ?? null);
      await ack();
      l.logger.info({ user: body.user.id }, 'declared anyway after a near-duplicate warning');
      await respond({ response_type: 'ephemeral', replace_original: true, ...reply }).catch(() => undefined);
    },

    // Slack refused the channel: try again (the link or the refusal follows to whoever pressed), or cancel. Committed before the ack.
    [ACTION.retryChannel]: async ({ ack, action, body, context, respond }) => {
      refusalReplacesOriginal(context);
      const id = lostTrackUnless(idFromValue(action.value));
      await retryChannel(l.deps, id, body.user.id, body.response_url ?? null);
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: true, text: retryingChannelReply(id) }).catch(() => undefined);
    },

    [ACTION.cancelIncident]: async ({ ack, action, body, context, respond }) => {
      refusalReplacesOriginal(context);
      const id = lostTrackUnless(idFromValue(action.value));
      await cancelIncident(l.deps, id, body.user.id);
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: true, text: cancelledReply(id) }).catch(() => undefined);
    },

    // Committed before the ack (a crash after an ack must lose nothing); the confirmation follows.
    [ACTION.postmortem]: async ({ ack, action, body }) => {
      const id = await incidentFor(l, action.value, body);
      if (id !== null) await requestPostmortem(l.deps, id, body.user.id);
      await ack();
    },

    [ACTION.actionDone]: async ({ ack, action, body, respond }) => {
      const id = await incidentFor(l, action.value, body);
      const seq = Number((action.value ?? '').split(':')[1]);
      if (id === null || !Number.isInteger(seq)) return ack();
      await completeAction(l.deps, id, seq, body.user.id);
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, ...actionDoneReply(id, seq) });
    },
  };

  const { pattern, listener } = route(handlers, (args) => args.action.action_id);
  app.action<BlockAction<ButtonAction>>(pattern, listener);
}

/** Declares what a near-duplicate warning held back (kept under `anywayKey`). */
async function declareAnyway(deps: ListenerDeps['deps'], anywayKey: string, userId: string, responseUrl: string | null): Promise<{ text: string; blocks?: unknown[] }> {
  const held = anywayKey.startsWith('declare_anyway:') ? (await deps.store.requests.get(anywayKey)) as { title: string; severity: Severity; summary: string; services: string[] } | undefined : undefined;
  if (!held) throw new UserError('This warning is too old to declare from; type `/incident declare [sev1-4] <title>` again.');
  const result = await declareIncident(deps, { ...held, userId, requestKey: anywayKey, responseUrl });
  return declaringReply(result.incident!, false);
}

/** The incident a button is about; a message button only counts in that incident's own channel. */
async function incidentFor(l: ListenerDeps, value: string | undefined, body: BlockAction): Promise<number | null> {
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
  return id;
}

/** The incident id a one-shot prompt's button carries; a refusal when the value is unreadable. */
function lostTrackUnless(id: number | null): number {
  if (id === null) throw new UserError('This button lost track of its incident.');
  return id;
}
