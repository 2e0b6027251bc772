/** The `/incident help` text, from the lines each action declares. */
import { escapeMrkdwn } from './text.js';

/** One line of the help reply: the form to type and what it does. */
export type HelpLine = readonly [usage: string, what: string];

/** The reply to `/incident help`, in Slack mrkdwn with the usage lines escaped so `<@user>` stays literal. */
export function helpText(lines: readonly HelpLine[]): string {
  return lines.map(([usage, what]) => `\`${escapeMrkdwn(usage)}\` — ${what}`).join('\n');
}
