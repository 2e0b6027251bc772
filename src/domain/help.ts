/** The `/incident` usage lines, shared by the help reply (whose lines each action declares) and by error replies. */
import { escapeMrkdwn } from './text.js';

/** Right form of each subcommand as plain text (escape before posting: it contains `<` and `>`). */
export const COMMAND_USAGE: Record<string, string> = {
  help: '/incident help',
  declare: '/incident declare [sev1-4] <title>',
  list: '/incident list',
  role: '/incident role <ic|tech|comms> <@user>',
  roles: '/incident roles',
  log: '/incident log <text>',
  update: '/incident update [text]',
  severity: '/incident severity <sev1-4>',
  status: '/incident status <investigating|identified|mitigating|monitoring|resolved>',
  resolve: '/incident resolve [summary]',
  close: '/incident close',
  action: '/incident action <text> [<@owner>] [due:YYYY-MM-DD]',
  done: '/incident action done A-<n>',
  actions: '/incident actions',
  timeline: '/incident timeline',
  snooze: '/incident snooze <duration>',
  postmortem: '/incident postmortem',
  page: '/incident page [message]',
  statuspage: '/incident statuspage <investigating|identified|monitoring|resolved> <message>',
};

/** One line of the help reply: the form to type and what it does. */
export type HelpLine = readonly [usage: string, what: string];

/** The reply to `/incident help`, in Slack mrkdwn with the usage lines escaped so `<@user>` stays literal. */
export function helpText(lines: readonly HelpLine[]): string {
  return lines.map(([usage, what]) => `\`${escapeMrkdwn(usage)}\` — ${what}`).join('\n');
}
