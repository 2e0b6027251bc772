/**
 * One Slack action = one module in this folder: the use case it calls, how each surface (command text, modal values,
 * button value, message shortcut) turns into that use case's input, and the reply it gives. The listeners are generic adapters over
 * `registry.ts`; the one error path (listeners/refusals.ts) answers whatever they refuse.
 */
import type {
  AllMiddlewareArgs, BlockAction, ButtonAction, MessageShortcut, SlackActionMiddlewareArgs, SlackShortcutMiddlewareArgs, SlackViewMiddlewareArgs, SlashCommand, ViewSubmitAction,
} from '@slack/bolt';
import type { View } from '@slack/types';
import type { Command, CommandKind } from '../../domain/command.js';
import type { Subcommand } from '../../domain/command-parser.js';
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

/** The parsed command of one kind. */
export type CommandOf<K extends CommandKind> = Extract<Command, { kind: K }>;

/** How `/incident <kind>` reaches the use case: anywhere, or only in an incident channel (the adapter finds the incident). */
export type CommandSurface<K extends CommandKind = CommandKind> =
  | { where: 'anywhere'; run: (cmd: CommandOf<K>, call: CommandCall) => Promise<Reply | OpenModal> }
  | { where: 'incident'; run: (cmd: CommandOf<K>, call: IncidentCall) => Promise<Reply | OpenModal> };

/** Bolt's arguments to a button listener. */
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
/** Bolt's arguments to a message shortcut listener. */
export type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;
/** Bolt's arguments to a modal submission listener. */
export type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** One user intent as Slack reaches it. */
export interface SlackAction {
  /** Its `/incident` subcommands: the words that select each, its usage line and how its text is read. */
  typed?: readonly Subcommand[];
  /** Its lines in `/incident help`, in order (the help reply lists the actions in registry order). */
  help?: readonly HelpLine[];
  /** `/incident` subcommands (parsed kinds) this action answers. */
  commands?: { [K in CommandKind]?: CommandSurface<K> };
  /** Buttons, by action_id. */
  buttons?: Record<string, (args: ButtonArgs, l: ListenerDeps) => Promise<void>>;
  /** Message shortcuts, by callback_id. */
  shortcuts?: Record<string, (args: ShortcutArgs, l: ListenerDeps) => Promise<void>>;
  /** Modal submissions, by callback_id. */
  views?: Record<string, (args: SubmitArgs, l: ListenerDeps) => Promise<void>>;
}

/** Typed helper: checks a module's shape and keeps its command kinds precise. */
export function slackAction(action: SlackAction): SlackAction {
  return action;
}

/** Whether a command's outcome is a form to open. */
export function isModal(outcome: Reply | OpenModal): outcome is OpenModal {
  return 'modal' in outcome;
}
