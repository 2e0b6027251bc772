/** `/incident`: a generic adapter over the action registry: parse, hand the command to its action, ack with the reply or open its form. */
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import { UserError } from '../../app/context.js';
import { isCommandError, type ParsedCommand } from '../../domain/command.js';
import { incidentRef } from '../../domain/incident.js';
import { isModal, type OpenModal, type Reply } from '../actions/action.js';
import { commandSurface, parseCommand } from '../actions/registry.js';
import { openView } from '../actions/surfaces.js';
import { formFailedReply, notInIncidentChannel } from '../blocks/replies.js';
import type { ListenerDeps } from './context.js';
import { incidentInChannel } from './incident-of.js';
import { outcomeOf } from './refusals.js';

/** Registers the `/incident` command. */
export function registerCommands(app: App, l: ListenerDeps): void {
  app.command('/incident', async ({ command, ack, respond }) => {
    const parsed = parseCommand(command.text ?? '');
    const sub = isCommandError(parsed) ? 'invalid' : parsed.kind;
    let outcome = 'ok';
    let result: Reply | OpenModal;
    try {
      // A mistyped command is refused like any other: the one error path (refusals.ts) answers it.
      if (isCommandError(parsed)) throw new UserError(parsed.message, parsed.usage);
      result = await run(l, parsed, command);
    } catch (err) {
      outcome = isCommandError(parsed) ? 'invalid' : outcomeOf(err);
      throw err;
    } finally {
      l.metrics.commands.inc({ subcommand: sub, outcome });
    }
    if (!isModal(result)) return ack({ response_type: 'ephemeral', ...result } as never);
    // Ack at once so a slow views.open can never push the ack past 3 s; the trigger id stays valid after the ack.
    await ack();
    await openModal(l, command, result, respond);
  });
}

async function run(l: ListenerDeps, cmd: ParsedCommand, command: SlashCommand): Promise<Reply | OpenModal> {
  // Every kind the parser gives has an action (each module is checked against its own subcommands).
  const surface = commandSurface(cmd.kind);
  if (!surface) throw new Error(`no action answers the command kind ${cmd.kind}`);
  const call = { l, user: command.user_id, requestKey: `cmd:${command.trigger_id}`, command };
  if (surface.where === 'anywhere') return surface.run(cmd, call);
  const incident = await incidentInChannel(l.deps.store, command.channel_id);
  if (!incident) return notInIncidentChannel();
  const result = await surface.run(cmd, { ...call, incident });
  if (!isModal(result)) l.logger.info({ incident: incidentRef(incident.id), subcommand: cmd.kind, user: call.user }, 'command handled');
  return result;
}

/** Opens the form; when Slack refuses or fails, tells the caller how to do the same by typing. */
async function openModal(l: ListenerDeps, command: SlashCommand, open: OpenModal, respond: RespondFn): Promise<void> {
  try {
    await openView(l.api, command.trigger_id, open.modal);
  } catch (err) {
    l.logger.warn({ err: String(err) }, 'could not open a modal');
    await respond({ response_type: 'ephemeral', ...formFailedReply(open.typed) }).catch(() => undefined);
  }
}
