/** The `/incident` command list: one usage line per subcommand, shared by help and by error replies. */
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

// Order and wording of the help reply; declare appears twice because its modal form differs.
const HELP_LINES: ReadonlyArray<readonly [usage: string, what: string]> = [
  ['/incident declare', 'open the declare form (title, severity, summary, affected services); other commands are typed in the incident channel'],
  [COMMAND_USAGE.declare!, 'declare at once (SEV1 is the worst; default SEV3) and open its channel'],
  [COMMAND_USAGE.list!, 'open incidents with severity, status, age, IC and channel'],
  [COMMAND_USAGE.role!, 'assign the Incident Commander, Technical Lead or Communications Lead (pick the person from the autocomplete)'],
  [COMMAND_USAGE.roles!, 'who holds which role'],
  [COMMAND_USAGE.log!, 'add an entry to the timeline'],
  [COMMAND_USAGE.update!, 'post a status update (no text opens the update form); resets the update clock'],
  [COMMAND_USAGE.severity!, 'change the severity (alias `sev`)'],
  [COMMAND_USAGE.status!, 'move the status forward'],
  [COMMAND_USAGE.resolve!, 'resolve: reminders stop and the postmortem clock starts'],
  [COMMAND_USAGE.close!, 'close a resolved incident and archive its channel'],
  [COMMAND_USAGE.action!, 'add a follow-up action item'],
  [COMMAND_USAGE.done!, 'mark an action item done'],
  [COMMAND_USAGE.actions!, 'list action items'],
  [COMMAND_USAGE.timeline!, 'show the timeline (only to you)'],
  [COMMAND_USAGE.snooze!, 'postpone the next update reminder, e.g. `30m` (at most 24h)'],
  [COMMAND_USAGE.postmortem!, 'upload the postmortem draft as Markdown'],
  [COMMAND_USAGE.page!, 'page the on-call through PagerDuty now, whatever the severity'],
  [COMMAND_USAGE.statuspage!, 'publish to the public status page (Communications Lead or IC; no text opens the form)'],
  [COMMAND_USAGE.help!, 'this list'],
];

/** The reply to `/incident help`, in Slack mrkdwn with the usage lines escaped so `<@user>` stays literal. */
export function helpText(): string {
  return HELP_LINES.map(([usage, what]) => `\`${escapeMrkdwn(usage)}\` — ${what}`).join('\n');
}
