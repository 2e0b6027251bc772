/** Every Slack action, and the lookups the generic listeners use. Adding an action = adding its module here. */
import type { CommandKind } from '../../domain/command.js';
import type { ListenerDeps } from '../listeners/context.js';
import type { ButtonArgs, CommandSurface, SlackAction, SubmitArgs } from './action.js';
import { actionDoneAction } from './action-done.js';
import { actionsListAction } from './actions-list.js';
import { addActionAction } from './add-action.js';
import { channelRefusedAction } from './channel-refused.js';
import { closeAction } from './close.js';
import { declareAction } from './declare.js';
import { helpAction } from './help.js';
import { listAction } from './list.js';
import { logAction } from './log.js';
import { pageAction } from './page.js';
import { postmortemAction } from './postmortem.js';
import { resolveAction } from './resolve.js';
import { roleAction } from './role.js';
import { rolesAction } from './roles.js';
import { severityAction } from './severity.js';
import { snoozeAction } from './snooze.js';
import { statusAction } from './status.js';
import { statuspageAction } from './statuspage.js';
import { timelineAction } from './timeline.js';
import { updateAction } from './update.js';

/** All actions the bot answers. */
export const ACTIONS: readonly SlackAction[] = [
  helpAction, listAction, declareAction, channelRefusedAction, roleAction, rolesAction, logAction, updateAction,
  severityAction, statusAction, resolveAction, closeAction, addActionAction, actionDoneAction, actionsListAction,
  timelineAction, snoozeAction, postmortemAction, pageAction, statuspageAction,
];

// Each id belongs to one action: a second claim is a programming error, caught at start-up (and by the registry test).
function collect<T>(pick: (a: SlackAction) => Record<string, T> | undefined, what: string): Map<string, T> {
  const byId = new Map<string, T>();
  for (const action of ACTIONS) {
    for (const [id, handler] of Object.entries(pick(action) ?? {})) {
      if (byId.has(id)) throw new Error(`two actions claim the ${what} ${id}`);
      byId.set(id, handler);
    }
  }
  return byId;
}

const commands = collect((a) => a.commands as Record<string, CommandSurface> | undefined, 'subcommand');

/** How `/incident <kind>` is handled, or undefined when no action claims that kind. */
export function commandSurface(kind: CommandKind): CommandSurface | undefined {
  return commands.get(kind);
}

/** Every button handler, by action_id. */
export const BUTTONS: ReadonlyMap<string, (args: ButtonArgs, l: ListenerDeps) => Promise<void>> = collect((a) => a.buttons, 'button');

/** Every modal submission handler, by callback_id. */
export const VIEWS: ReadonlyMap<string, (args: SubmitArgs, l: ListenerDeps) => Promise<void>> = collect((a) => a.views, 'form');
