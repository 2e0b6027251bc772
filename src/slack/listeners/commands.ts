/** `/incident`: ack within Slack's limit, parse, call one use case, answer with a pure Block Kit reply. */
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { View } from '@slack/types';
import { VIEW } from '../ids.js';
import { addAction, completeAction } from '../../app/action-items.js';
import { assignRole } from '../../app/assign-role.js';
import { changeSeverity, changeStatus, closeIncident, resolveIncident } from '../../app/change-incident.js';
import { UserError } from '../../app/context.js';
import { declareIncident } from '../../app/declare-incident.js';
import { logEntry } from '../../app/log-event.js';
import { postUpdate, snooze } from '../../app/post-update.js';
import { pageNow } from '../../app/paging.js';
import { requestPostmortem } from '../../app/postmortem.js';
import { actionsOf, issuesOf, listOpen, statuspageFormOf, timelineOf, viewIncident } from '../../app/queries.js';
import { publishStatus } from '../../app/statuspage.js';
import { PUBLIC_STATUS_LABELS } from '../../domain/statuspage.js';
import type { Command } from '../../domain/command.js';
import { parseCommand } from '../../domain/command-parser.js';
import { type Incident, ROLE_NAMES, incidentRef } from '../../domain/incident.js';
import { slackDate } from '../../domain/text.js';
import { declareModal, statuspageModal, updateModal } from '../blocks/modals.js';
import { actionDoneReply, actionsReply, declaringReply, nearDuplicateReply, helpReply, listReply, notInIncidentChannel, rolesReply, timelineReply } from '../blocks/replies.js';
import type { ListenerDeps } from './context.js';
import { incidentInChannel } from './incident-of.js';
import { outcomeOf } from './refusals.js';

/** A reply shown only to the caller. */
export interface Reply { text: string; blocks?: unknown[] }

const info = (text: string): Reply => ({ text });

// The help reply never changes: built once (it is only read, never modified).
let help: Reply | undefined;
const helpOnce = (): Reply => (help ??= helpReply());

/** Registers the `/incident` command. */
export function registerCommands(app: App, l: ListenerDeps): void {
  app.command('/incident', async ({ command, ack, client, respond }) => {
    const parsed = parseCommand(command.text ?? '');
    const sub = parsed.kind === 'error' ? 'invalid' : parsed.kind;
    let outcome = 'ok';
    let reply: Reply | undefined;
    let acked = false;
    try {
      // A mistyped command is refused like any other: the one error path (refusals.ts) answers it.
      if (parsed.kind === 'error') throw new UserError(parsed.message, parsed.usage);
      if (parsed.kind === 'declare_modal' || parsed.kind === 'update_modal' || parsed.kind === 'statuspage_modal') {
        const modal = await modalFor(l, parsed, command);
        if ('reply' in modal) reply = modal.reply;
        else {
          // Ack at once so a slow views.open can never push the ack past 3 s; the trigger id stays valid after the ack.
          await ack();
          acked = true;
          await openModal(l, client, command, modal.view, respond);
        }
      } else {
        reply = await run(l, parsed, command);
      }
    } catch (err) {
      outcome = parsed.kind === 'error' ? 'invalid' : outcomeOf(err);
      throw err;
    } finally {
      l.metrics.commands.inc({ subcommand: sub, outcome });
    }
    if (!acked) await ack(reply ? { response_type: 'ephemeral', ...reply } as never : undefined);
  });
}

async function modalFor(l: ListenerDeps, cmd: Command, command: SlashCommand): Promise<{ view: View } | { reply: Reply }> {
  if (cmd.kind !== 'update_modal' && cmd.kind !== 'statuspage_modal') return { view: declareModal({}) };
  const incident = await incidentInChannel(l.deps.store, command.channel_id);
  if (!incident) return { reply: notInIncidentChannel() };
  if (cmd.kind === 'update_modal') return { view: updateModal(incident) };
  if (!l.deps.policy.statuspage) throw new UserError('No status page is connected: set STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID to publish from here.');
  return { view: statuspageModal(incident, await statuspageFormOf(l.deps.store, incident.id)) };
}

/** Opens the modal; when Slack refuses or fails, tells the caller how to do the same by typing. */
async function openModal(l: ListenerDeps, client: App['client'], command: SlashCommand, view: View, respond: RespondFn): Promise<void> {
  try {
    await client.views.open({ trigger_id: command.trigger_id, view });
  } catch (err) {
    l.logger.warn({ err: String(err) }, 'could not open a modal');
    const typed = view.callback_id === VIEW.update ? '`/incident update &lt;text&gt;`'
      : view.callback_id === VIEW.statuspage ? '`/incident statuspage &lt;status&gt; &lt;message&gt;`' : '`/incident declare [sev1-4] &lt;title&gt;`';
    await respond({ response_type: 'ephemeral', text: `Slack could not open the form just now; nothing was changed. Try again, or type ${typed}.` }).catch(() => undefined);
  }
}

async function run(l: ListenerDeps, cmd: Command, command: SlashCommand): Promise<Reply> {
  const { deps } = l;
  const user = command.user_id;
  switch (cmd.kind) {
    case 'help': return helpOnce();
    case 'list': return listReply(await listOpen(deps.store), deps.clock());
    case 'declare': {
      const result = await declareIncident(deps, {
        title: cmd.title, severity: cmd.severity, summary: '', services: [], userId: user,
        requestKey: `cmd:${command.trigger_id}`, responseUrl: command.response_url ?? null, guardNearDuplicate: true,
      });
      if (result.nearDuplicate) return nearDuplicateReply(result.nearDuplicate.incident, result.nearDuplicate.agoMs, result.nearDuplicate.anywayKey);
      if (!result.duplicate) l.logger.info({ incident: incidentRef(result.incident.id), severity: result.incident.severity, user }, 'incident declared');
      // Acknowledged straight after the commit: the link follows through response_url once the declarer is invited.
      return declaringReply(result.incident, false);
    }
    default: break;
  }
  const incident = await incidentInChannel(deps.store, command.channel_id);
  if (!incident) return notInIncidentChannel();
  const reply = await runOnIncident(l, cmd, incident, user, `cmd:${command.trigger_id}`);
  l.logger.info({ incident: incidentRef(incident.id), subcommand: cmd.kind, user }, 'command handled');
  return reply;
}

async function runOnIncident(l: ListenerDeps, cmd: Command, incident: Incident, user: string, requestKey: string): Promise<Reply> {
  const { deps } = l;
  const ref = incidentRef(incident.id);
  switch (cmd.kind) {
    case 'role': {
      const r = await assignRole(deps, incident.id, cmd.role, cmd.userId, user);
      if (r.unchanged) return info(`<@${cmd.userId}> already is the ${ROLE_NAMES[cmd.role]} of ${ref}.`);
      return info(r.previous ? `${ROLE_NAMES[cmd.role]} of ${ref} reassigned from <@${r.previous}> to <@${cmd.userId}>.` : `<@${cmd.userId}> is now the ${ROLE_NAMES[cmd.role]} of ${ref}.`);
    }
    case 'roles': {
      const view = await viewIncident(deps.store, incident.id);
      return rolesReply(view!);
    }
    case 'log':
      await logEntry(deps, incident.id, cmd.text, user);
      return info(`Added to the ${ref} timeline.`);
    case 'update':
      await postUpdate(deps, incident.id, { text: cmd.text }, user);
      return info(`Status update for ${ref} posted.`);
    case 'severity': {
      const { from } = await changeSeverity(deps, incident.id, cmd.severity, user);
      return info(`${ref} severity changed from ${from} to ${cmd.severity}.`);
    }
    case 'status': {
      const { from } = await changeStatus(deps, incident.id, cmd.status, user);
      return info(`${ref} moved from ${from} to ${cmd.status}.`);
    }
    case 'resolve':
      await resolveIncident(deps, incident.id, cmd.summary, user);
      return info(`${ref} resolved. Update reminders have stopped; \`/incident postmortem\` drafts the postmortem.`);
    case 'close':
      await closeIncident(deps, incident.id, user);
      return info(`${ref} closed; its channel will be archived.`);
    case 'action': {
      const item = await addAction(deps, incident.id, { text: cmd.text, ownerId: cmd.ownerId, dueDate: cmd.dueDate }, user);
      return info(`Added A-${item.seq} to ${ref}${item.owner ? `, owned by <@${item.owner}>` : ''}${item.dueDate ? `, due ${item.dueDate}` : ''}.`);
    }
    case 'action_done':
      await completeAction(deps, incident.id, cmd.seq, user);
      return actionDoneReply(incident.id, cmd.seq);
    case 'actions': {
      const { items, overdue } = await actionsOf(deps.store, incident.id, deps.clock());
      return actionsReply(incident, items, overdue, await issuesOf(deps.store, incident.id));
    }
    case 'statuspage': {
      await publishStatus(deps, incident.id, { status: cmd.status, message: cmd.message }, user);
      return info(`Publishing to the status page as *${PUBLIC_STATUS_LABELS[cmd.status]}*; the link follows in this channel once it is out.`);
    }
    case 'timeline':
      return timelineReply(incident, await timelineOf(deps.store, incident.id));
    case 'snooze': {
      const until = await snooze(deps, incident.id, cmd.durationMs, user);
      return info(`Update reminders for ${ref} snoozed until ${slackDate(until)}.`);
    }
    case 'postmortem':
      await requestPostmortem(deps, incident.id, user);
      return info(`Drafting the ${ref} postmortem; it will be uploaded to this channel as ${ref}-postmortem.md.`);
    case 'page':
      await pageNow(deps, incident.id, cmd.message, user, requestKey);
      return info(`Paging the on-call for ${ref} through PagerDuty; this channel hears when PagerDuty has it.`);
    default:
      return helpOnce();
  }
}
