/**
 * One Slack action = one module in this folder: the use case it calls, how each surface (command text, modal values,
 * button value, message shortcut) turns into that use case's input, and the reply it gives. The listeners are generic adapters over
 * `registry.ts`; the one error path (listeners/refusals.ts) answers whatever they refuse.
 */
import type {
  AllMiddlewareArgs, BlockAction, ButtonAction, MessageShortcut, SlackActionMiddlewareArgs, SlackShortcutMiddlewareArgs, SlackViewMiddlewareArgs, SlashCommand, ViewSubmitAction,
} from '@slack/bolt';
import type { View } from '@slack/types';
import type { ParsedCommand } from '../../domain/command.js';
import type { CommandsOf, Subcommand } from '../../domain/command-parser.js';
import type { HelpLine } from '../../domain/help.js';
import type { Incident } from '../../domain/incident.js';
import type { ListenerDeps } from '../listeners/context.js';

/** A reply shown only to the caller. */
export interface Reply { text: string; blocks?: unknown[] }

/** A form to open instead of a reply; `typed` is the command to suggest when Slack cannot open it. */
export interface OpenModal { modal: View; typed: string }

/** One typed `/incident` call, after parsing. */
export interface CommandCall {
  l: ListenerDeps;
  user: string;
  /** Makes a repeat of the same request (same trigger) act once. */
  requestKey: string;
  command: SlashCommand;
}

/** A command typed in an incident's channel, with that incident. */
export interface IncidentCall extends CommandCall { incident: Incident }

/**
 * How `/incident <kind>` reaches the use case: anywhere, or only in an incident channel (the adapter finds the incident).
 * `needsNoDatabase`: it answers without the database (help), so it still works while the database cannot be trusted.
 */
export type CommandSurface<C extends ParsedCommand = ParsedCommand> = { needsNoDatabase?: true } & (
  | { where: 'anywhere'; run: (cmd: C, call: CommandCall) => Promise<Reply | OpenModal> }
  | { where: 'incident'; run: (cmd: C, call: IncidentCall) => Promise<Reply | OpenModal> });

/** One surface for each kind of command `C` holds, each given its own command. */
export type CommandSurfaces<C extends ParsedCommand> = { [K in C['kind']]: CommandSurface<Extract<C, { kind: K }>> };

/** Bolt's arguments to a button listener. */
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
/** Bolt's arguments to a message shortcut listener. */
export type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;
/** Bolt's arguments to a modal submission listener. */
export type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** What an action offers besides typed commands. */
interface Surfaces {
  /** Its lines in `/incident help`, in order (the help reply lists the actions in registry order). */
  help?: readonly HelpLine[];
  /** Buttons, by action_id. */
  buttons?: Record<string, (args: ButtonArgs, l: ListenerDeps) => Promise<void>>;
  /** Message shortcuts, by callback_id. */
  shortcuts?: Record<string, (args: ShortcutArgs, l: ListenerDeps) => Promise<void>>;
  /** Modal submissions, by callback_id. */
  views?: Record<string, (args: SubmitArgs, l: ListenerDeps) => Promise<void>>;
}

/**
 * One user intent as its module declares it: `typed` are its `/incident` subcommands (the words that select each, its
 * usage line and how its text is read), and `commands` answers every kind of command they read, each handler given
 * that kind's own command. The kinds are the module's own: no list of them lives anywhere else.
 */
export type ActionDeclaration<S extends Subcommand<ParsedCommand>> = Surfaces & { typed?: readonly S[] } & ([CommandsOf<S>] extends [never]
  ? { commands?: never }
  : { commands: NoInfer<CommandSurfaces<CommandsOf<S>>> });

/** One user intent as the registry holds it: its kinds were checked in its module, here they are only looked up. */
export interface SlackAction extends Surfaces {
  typed?: readonly Subcommand[];
  commands?: Readonly<Record<string, CommandSurface>>;
}

/** Checks a module's shape against its own subcommands, and hands it to the registry. */
export function slackAction<S extends Subcommand<ParsedCommand> = never>(action: ActionDeclaration<S>): SlackAction {
  return action as SlackAction;
}

/** Whether a command's outcome is a form to open. */
export function isModal(outcome: Reply | OpenModal): outcome is OpenModal {
  return 'modal' in outcome;
}
