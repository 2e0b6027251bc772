/** Every Slack action, the help reply built from their help lines, and the lookups the generic listeners use. Adding an action = adding its module here. */
import { CommandParser, subcommand } from '../../domain/command-parser.js';
import type { ParseResult } from '../../domain/command.js';
import type { HelpLine } from '../../domain/help.js';
import { helpReply } from '../blocks/replies.js';
import type { ListenerDeps } from '../listeners/context.js';
import { type ButtonArgs, type CommandSurface, type Reply, slackAction, type ShortcutArgs, type SlackAction, type SubmitArgs } from './action.js';
import { actionDoneAction } from './action-done.js';
import { actionsListAction } from './actions-list.js';
import { addActionAction } from './add-action.js';
import { channelRefusedAction } from './channel-refused.js';
import { closeAction } from './close.js';
import { declareAction } from './declare.js';
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

// The actions, in the order `/incident help` lists them.
const TYPED: readonly SlackAction[] = [
  declareAction, listAction, roleAction, rolesAction, logAction, updateAction, severityAction, statusAction, resolveAction,
  closeAction, addActionAction, actionDoneAction, actionsListAction, timelineAction, snoozeAction, postmortemAction,
  pageAction, statuspageAction, channelRefusedAction,
];

/** `/incident help` (alias `?`; an empty `/incident` is help too). */
const helpTyped = subcommand({ name: 'help', words: ['help', '?'], usage: '/incident help', parse: () => ({ kind: 'help' }) });

/** Every line of `/incident help`: each action's own, then help itself. */
export const HELP_LINES: readonly HelpLine[] = [...TYPED.flatMap((a) => a.help ?? []), [helpTyped.usage, 'this list']];

// The help reply never changes: built once (it is only read, never modified).
let help: Reply | undefined;

/** `/incident help`: the command list, built from the registry. */
const helpAction = slackAction({
  typed: [helpTyped],
  commands: { help: { where: 'anywhere', needsNoDatabase: true, run: async () => (help ??= helpReply(HELP_LINES)) } },
});

/** All actions the bot answers. */
export const ACTIONS: readonly SlackAction[] = [...TYPED, helpAction];

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

// Help comes first: an empty command is help, a refusal with no better usage quotes help's, and typo hints try its words first.
const parser = new CommandParser([helpTyped, ...TYPED.flatMap((a) => a.typed ?? [])]);

/** Parses the text after `/incident` with every action's subcommands; never throws. */
export function parseCommand(text: string): ParseResult {
  return parser.parse(text);
}

/** The usage line of every subcommand, by name (`done` is `/incident action done A-<n>`). */
export const COMMAND_USAGE: Readonly<Record<string, string>> = parser.usages();

// Each action's module checks that it answers every kind its subcommands read; this checks that no two claim one.
const commands = collect((a) => a.commands, 'subcommand');

/** Every command kind some action answers (the `subcommand` label of the commands metric). */
export const COMMAND_KINDS: readonly string[] = [...commands.keys()];

/** How `/incident <kind>` is handled, or undefined when no action claims that kind. */
export function commandSurface(kind: string): CommandSurface | undefined {
  return commands.get(kind);
}

/** Whether `/incident <text>` is answered without the database (help), so it may run while the database cannot be trusted. */
export function worksWithoutDatabase(text: string): boolean {
  return commandSurface(parseCommand(text).kind)?.needsNoDatabase === true;
}

/** Every button handler, by action_id. */
export const BUTTONS: ReadonlyMap<string, (args: ButtonArgs, l: ListenerDeps) => Promise<void>> = collect((a) => a.buttons, 'button');

/** Every message shortcut handler, by callback_id. */
export const SHORTCUTS: ReadonlyMap<string, (args: ShortcutArgs, l: ListenerDeps) => Promise<void>> = collect((a) => a.shortcuts, 'shortcut');

/** Every modal submission handler, by callback_id. */
export const VIEWS: ReadonlyMap<string, (args: SubmitArgs, l: ListenerDeps) => Promise<void>> = collect((a) => a.views, 'form');
