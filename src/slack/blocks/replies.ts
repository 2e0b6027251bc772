/** Replies to `/incident` commands, shown only to the caller (ephemeral). */
import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import type { IncidentView } from '../../app/queries.js';
import { type HelpLine, helpText } from '../../domain/help.js';
import type { ActionItem, Incident, Role, TimelineEntry, TimelineKind } from '../../domain/incident.js';
import type { LinkedIssue } from '../../domain/follow-up.js';
import { actionRef, incidentRef, ROLE_NAMES, ROLES, SEVERITIES } from '../../domain/incident.js';
import { escapeMrkdwn, plural, slackDate } from '../../domain/text.js';
import { ACTION } from '../ids.js';
import { actions, ago, button, channelLink, clip, context, esc, header, holder, LIMIT, oneLine, packLines, ref, section, simple, type SlackMessage, severityEmoji, statusLabel, typedOrShortened, user } from './kit.js';

/** The reply to marking an action item done: the same words from the command and from the button. */
export function actionDoneReply(incidentId: number, seq: number): { text: string } {
  return { text: `${actionRef(seq)} of ${incidentRef(incidentId)} marked done.` };
}

/** Reply to assigning a role: assigned, reassigned from someone, or already held by that person. */
export function roleAssignedReply(incidentId: number, role: Role, userId: string, r: { unchanged?: boolean; previous?: string | null }): { text: string } {
  const ref = incidentRef(incidentId);
  if (r.unchanged) return { text: `<@${userId}> already is the ${ROLE_NAMES[role]} of ${ref}.` };
  return { text: r.previous ? `${ROLE_NAMES[role]} of ${ref} reassigned from <@${r.previous}> to <@${userId}>.` : `<@${userId}> is now the ${ROLE_NAMES[role]} of ${ref}.` };
}

/** Reply to `/incident log`. */
export function loggedReply(incidentId: number): { text: string } {
  return { text: `Added to the ${incidentRef(incidentId)} timeline.` };
}

/** Reply to a typed status update. */
export function updatePostedReply(incidentId: number): { text: string } {
  return { text: `Status update for ${incidentRef(incidentId)} posted.` };
}

/** Reply to a severity change. */
export function severityChangedReply(incidentId: number, from: string, to: string): { text: string } {
  return { text: `${incidentRef(incidentId)} severity changed from ${from} to ${to}.` };
}

/** Reply to a status move. */
export function statusMovedReply(incidentId: number, from: string, to: string): { text: string } {
  return { text: `${incidentRef(incidentId)} moved from ${from} to ${to}.` };
}

/** Reply to resolving: reminders stop, and how to draft the postmortem. */
export function resolvedReply(incidentId: number): { text: string } {
  return { text: `${incidentRef(incidentId)} resolved. Update reminders have stopped; \`/incident postmortem\` drafts the postmortem.` };
}

/** Reply to closing. */
export function closedReply(incidentId: number): { text: string } {
  return { text: `${incidentRef(incidentId)} closed; its channel will be archived.` };
}

/** Reply to adding an action item, with its owner and due date when given. */
export function actionAddedReply(incidentId: number, item: Pick<ActionItem, 'seq' | 'owner' | 'dueDate'>): { text: string } {
  return { text: `Added ${actionRef(item.seq)} to ${incidentRef(incidentId)}${item.owner ? `, owned by <@${item.owner}>` : ''}${item.dueDate ? `, due ${item.dueDate}` : ''}.` };
}

/** Reply to a typed status page publication: the link follows in the channel. */
export function statuspagePublishingReply(label: string): { text: string } {
  return { text: `Publishing to the status page as *${label}*; the link follows in this channel once it is out.` };
}

/** Reply to a snooze, with when reminders resume. */
export function snoozedReply(incidentId: number, until: number): { text: string } {
  return { text: `Update reminders for ${incidentRef(incidentId)} snoozed until ${slackDate(until)}.` };
}

/** Reply to `/incident postmortem`: where the draft will land. */
export function postmortemDraftingReply(incidentId: number): { text: string } {
  const ref = incidentRef(incidentId);
  return { text: `Drafting the ${ref} postmortem; it will be uploaded to this channel as ${ref}-postmortem.md.` };
}

/** Reply to `/incident page`. */
export function pagingReply(incidentId: number): { text: string } {
  return { text: `Paging the on-call for ${incidentRef(incidentId)} through PagerDuty; this channel hears when PagerDuty has it.` };
}

/** Reply when Slack could not open a form: nothing changed, and the command to type instead. */
export function formFailedReply(typed: string): { text: string } {
  return { text: `Slack could not open the form just now; nothing was changed. Try again, or type ${typed}.` };
}

/** Reply to "Try again" after Slack refused an incident's channel: the link follows. */
export function retryingChannelReply(incidentId: number): string {
  return `Trying again to create the channel of ${incidentRef(incidentId)}; the link follows here.`;
}

/** Reply to cancelling an incident whose channel Slack refused. */
export function cancelledReply(incidentId: number): string {
  return `${incidentRef(incidentId)} is cancelled; it no longer shows as open.`;
}

/** Reply to a mistake: what was wrong and, when given, the right form. App-written mentions `<@U…>` in `message` stay live; everything else is escaped. */
export function errorReply(message: string, usage?: string): SlackMessage {
  const safe = escapeMrkdwn(message).replace(/&lt;@([UW][A-Z0-9]{1,40})&gt;/g, '<@$1>');
  const lines = [`:warning: ${clip(safe, 2000)}`];
  if (usage) lines.push(`Usage: \`${esc(oneLine(usage), 500)}\``);
  else lines.push('See `/incident help` for every command.');
  return simple(lines.join('\n'));
}

/** Reply to a command that failed for a reason of ours, not the person's. */
export function somethingWentWrongReply(): SlackMessage {
  return errorReply('Something went wrong on our side; nothing was changed. Please try again.');
}

/** The command list, from each action's help lines. */
export function helpReply(lines: readonly HelpLine[]): SlackMessage {
  const sections = packLines(helpText(lines).split('\n')).slice(0, LIMIT.messageBlocks - 2);
  return {
    text: 'Incident bot commands: /incident help',
    blocks: [header('Incident bot commands'), ...sections.map((s) => section(s)), context('Commands that act on an incident are typed in that incident\'s channel.')],
  };
}

/** Open incidents, most severe first, each with severity, status, age, IC and channel; says how many more when they do not all fit. */
export function listReply(views: readonly IncidentView[], now: number): SlackMessage {
  if (views.length === 0) return simple('No open incidents. Declare one with `/incident declare`.');
  const blocks: KnownBlock[] = [header(`Open incidents (${views.length})`), ...incidentSections(views, now, LIMIT.messageBlocks - 1)];
  return { text: `${plural(views.length, 'open incident')}`, blocks };
}

/** One section per incident (most severe first, then oldest), within `maxBlocks`; the last block says how many more when they do not fit. */
export function incidentSections(views: readonly IncidentView[], now: number, maxBlocks: number): KnownBlock[] {
  const sorted = [...views].sort((a, b) => SEVERITIES.indexOf(a.incident.severity) - SEVERITIES.indexOf(b.incident.severity) || a.incident.declaredAt - b.incident.declaredAt);
  const fit = sorted.length <= maxBlocks ? sorted.length : maxBlocks - 1;
  const blocks: KnownBlock[] = sorted.slice(0, fit).map((v) => section(incidentLine(v, now)));
  if (fit < sorted.length) blocks.push(context(`…and ${plural(sorted.length - fit, 'more open incident')} not shown.`));
  return blocks;
}

/** Two mrkdwn lines about one incident: reference, severity and title; status, age, IC and channel. */
export function incidentLine({ incident, roles }: IncidentView, now: number): string {
  const ic = holder(roles, 'ic');
  return [
    `${severityEmoji(incident.severity)} *${ref(incident)} · ${incident.severity}* — ${esc(oneLine(incident.title), 1000)}`,
    `${statusLabel(incident.status)} · declared ${ago(now - incident.declaredAt)} · ${ic ? `IC ${user(ic)}` : '*no IC*'} · ${channelLink(incident)}`,
  ].join('\n');
}

/** Who holds which role, since when and assigned by whom; unheld roles say how to assign them. */
export function rolesReply(view: IncidentView): SlackMessage {
  const { incident, roles } = view;
  const lines = ROLES.map((role) => {
    const a = roles.find((r) => r.role === role && r.endedAt === null);
    if (!a) return `*${ROLE_NAMES[role]}:* _nobody_ — assign with \`/incident role ${role} @someone\``;
    return `*${ROLE_NAMES[role]}:* ${user(a.userId)} (since ${slackDate(a.assignedAt)}, assigned by ${user(a.assignedBy)})`;
  });
  return { text: `Roles of ${ref(incident)}`, blocks: [header(`Roles of ${ref(incident)}`), section(lines.join('\n'))] };
}

const KIND_EMOJI: Record<TimelineKind, string> = {
  declared: ':rotating_light:', role: ':bust_in_silhouette:', severity: ':arrow_up_down:', status: ':arrows_counterclockwise:',
  update: ':loudspeaker:', action: ':clipboard:', action_done: ':ballot_box_with_check:', resolved: ':white_check_mark:',
  closed: ':lock:', log: ':pencil:', message: ':pushpin:', reminder: ':alarm_clock:', postmortem: ':memo:',
  alert: ':bell:', page: ':pager:', statuspage: ':globe_with_meridians:',
};

const TIMELINE_LINE_MAX = 1400;

/** The timeline, oldest first, in each reader's time zone; when it does not fit, the newest entries that fit and how many earlier ones were left out. */
export function timelineReply(incident: Incident, entries: readonly TimelineEntry[]): SlackMessage {
  const title = `Timeline of ${ref(incident)}`;
  if (entries.length === 0) return { text: title, blocks: [header(title), section('_No timeline entries yet._')] };
  const ordered = [...entries].sort((a, b) => a.at - b.at || a.id - b.id);
  const budget = LIMIT.messageBlocks - 2; // header + note about left-out entries
  // Pack newest first so the newest entries win the space, then show the packed sections in time order.
  const bins: string[][] = [];
  let size = 0;
  let shown = 0;
  for (let i = ordered.length - 1; i >= 0; i--) {
    const line = clip(timelineLine(ordered[i]!), TIMELINE_LINE_MAX);
    const last = bins[bins.length - 1];
    if (last && size + 1 + line.length <= LIMIT.sectionText) {
      last.push(line);
      size += 1 + line.length;
    } else if (bins.length < budget) {
      bins.push([line]);
      size = line.length;
    } else break;
    shown++;
  }
  const left = ordered.length - shown;
  const blocks: KnownBlock[] = [header(title)];
  blocks.push(context(left > 0
    ? `${plural(left, 'earlier entry', 'earlier entries')} left out; showing the newest ${shown}. Times are in your time zone.`
    : `${plural(shown, 'entry', 'entries')}. Times are in your time zone.`));
  for (const bin of bins.reverse()) blocks.push(section(bin.reverse().join('\n')));
  return { text: `${title} (${plural(ordered.length, 'entry', 'entries')})`, blocks };
}

// An entry keeps what the person typed: mentions stay mentions; a long one is shortened and says so.
function timelineLine(e: TimelineEntry): string {
  const who = e.actor ? `${user(e.actor)}: ` : '';
  const link = e.permalink && /^https:\/\/[^\s<>|]+$/.test(e.permalink) && e.permalink.length <= 300 ? ` <${e.permalink.replace(/&/g, '&amp;')}|(message)>` : '';
  const head = `${KIND_EMOJI[e.kind] ?? '•'} ${slackDate(e.at)} — ${who}`;
  return `${head}${typedOrShortened(e.text, TIMELINE_LINE_MAX - head.length - link.length)}${link}`;
}

/** Action items in the given order (overdue first), overdue ones flagged, with their GitHub issues; each open item has a "Mark done" button whose value is `<incidentId>:<seq>`. */
export function actionsReply(incident: Incident, items: readonly ActionItem[], overdue: ReadonlySet<number> = new Set(), issues: ReadonlyMap<number, LinkedIssue> = new Map()): SlackMessage {
  const title = `Action items of ${ref(incident)}`;
  if (items.length === 0) {
    return { text: title, blocks: [header(title), section('_No action items yet._ Add one with `/incident action &lt;text&gt; [@owner] [due:YYYY-MM-DD]`.')] };
  }
  const sorted = items;
  const room = LIMIT.messageBlocks - 1;
  const fit = sorted.length <= room ? sorted.length : room - 1;
  const open = items.filter((i) => i.status === 'open').length;
  const blocks: KnownBlock[] = [header(title)];
  for (const item of sorted.slice(0, fit)) blocks.push(actionSection(incident, item, overdue.has(item.seq), issues.get(item.id)));
  if (fit < sorted.length) blocks.push(context(`…and ${plural(sorted.length - fit, 'more item')} not shown.`));
  const late = overdue.size > 0 ? `, ${overdue.size} overdue` : '';
  return { text: `${title}: ${open} open${late}, ${items.length - open} done`, blocks };
}

function actionSection(incident: Incident, item: ActionItem, overdue: boolean, issue?: LinkedIssue): SectionBlock {
  const state = item.status === 'done'
    ? `:white_check_mark: done${item.doneAt !== null ? ` ${slackDate(item.doneAt)}` : ''}`
    : overdue ? ':warning: *overdue*' : ':white_large_square: open';
  const owner = item.owner ? `owner ${user(item.owner)}` : 'no owner';
  const due = item.dueDate ? `due ${esc(item.dueDate, 20)}` : 'no due date';
  const tracked = issue && /^https:\/\/[^\s<>|]+$/.test(issue.url) ? ` · <${issue.url}|GitHub #${issue.number}>` : '';
  const text = `*${actionRef(item.seq)}* · ${state} · ${owner} · ${due}${tracked}\n${typedOrShortened(item.text, 2500)}`;
  if (item.status === 'done') return section(text);
  return section(text, { accessory: button('Mark done', ACTION.actionDone, `${incident.id}:${item.seq}`) });
}

/** Reply to an incident command typed outside an incident channel: where to type it and how to find the channel. */
export function notInIncidentChannel(): SlackMessage {
  return simple([
    ':information_source: Commands that act on an incident must be typed in that incident\'s channel.',
    'Find it with `/incident list` (it links each open incident\'s channel), or declare a new incident with `/incident declare`.',
  ].join('\n'));
}

/** The warning when the same person declares the same title again within minutes: go to that incident, or declare anyway. */
export function nearDuplicateReply(incident: Incident, agoMs: number, anywayKey: string): SlackMessage {
  const seconds = Math.max(1, Math.round(agoMs / 1000));
  const when = seconds < 90 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
  const where = incident.channelId ? ` Its channel is ${channelLink(incident)}.` : ' Its channel is still being created.';
  const text = `:eyes: You declared *${ref(incident)}* with this title ${when}.${where} Nothing new was declared.`;
  const go: Button = incident.channelId
    ? { ...button(`Go to ${ref(incident)}`, ACTION.goToIncident, String(incident.id)), url: `https://slack.com/app_redirect?channel=${incident.channelId}` }
    : button(`Go to ${ref(incident)}`, ACTION.goToIncident, String(incident.id));
  return simple(text, actions('near_duplicate', [go, button('Declare anyway', ACTION.declareAnyway, anywayKey, 'primary')]));
}

/** Immediate reply to `/incident declare …`: the link when the channel is ready, else a note that it is on its way. */
export function declaringReply(incident: Incident, channelReady: boolean): SlackMessage {
  const head = `:rotating_light: Declared *${ref(incident)}* (${incident.severity}): ${esc(oneLine(incident.title), 1000)}`;
  if (channelReady && incident.channelId) return simple(`${head}\nJoin the response in ${channelLink(incident)}.`);
  return simple(`${head}\nIts channel is being created; the link follows here in a moment.`);
}
