/** What parsing `/incident` text gives. The commands themselves are each action's own (src/slack/actions/): no list of them lives here. */

/** A parsed command: `kind` names it (and labels the commands metric); the rest is what its subcommand read. */
export interface ParsedCommand {
  kind: string;
}

/** A refused command: what was wrong and the right form to type. */
export interface CommandError {
  kind: 'error';
  message: string;
  usage: string;
}

/** Result of parsing: a command or an error explaining the right form. */
export type ParseResult<C extends ParsedCommand = ParsedCommand> = C | CommandError;

/** Whether parsing refused the text (a command's kind is any string, so `kind === 'error'` alone does not narrow). */
export function isCommandError(r: ParseResult): r is CommandError {
  return r.kind === 'error';
}
