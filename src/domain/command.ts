/** The typed form of everything `/incident` accepts. */
import type { Role, Severity, Status } from './incident.js';
import type { PublicStatus } from './statuspage.js';

/** A parsed `/incident` command. */
export type Command =
  | { kind: 'help' }
  | { kind: 'declare'; severity: Severity; title: string }
  | { kind: 'declare_modal' }
  | { kind: 'list' }
  | { kind: 'role'; role: Role; userId: string }
  | { kind: 'roles' }
  | { kind: 'log'; text: string }
  | { kind: 'update'; text: string }
  | { kind: 'update_modal' }
  | { kind: 'severity'; severity: Severity }
  | { kind: 'status'; status: Exclude<Status, 'closed'> }
  | { kind: 'resolve'; summary: string | null }
  | { kind: 'close' }
  | { kind: 'action'; text: string; ownerId: string | null; dueDate: string | null }
  | { kind: 'action_done'; seq: number }
  | { kind: 'actions' }
  | { kind: 'timeline' }
  | { kind: 'snooze'; durationMs: number }
  | { kind: 'postmortem' }
  | { kind: 'page'; message: string | null }
  | { kind: 'statuspage'; status: PublicStatus; message: string }
  | { kind: 'statuspage_modal' };

/** Subcommand names (first word) as reported in metrics. */
export type CommandKind = Command['kind'];

/** A refused command: what was wrong and the right form to type. */
export interface CommandError {
  kind: 'error';
  message: string;
  usage: string;
}

/** Result of parsing: a command or an error explaining the right form. */
export type ParseResult = Command | CommandError;
