/** Messages the outbox posts: channel notices, announcements, direct messages, the declared reply and the channel topic. */
import type { KnownBlock } from '@slack/types';
import type { Announcement, ChannelNotice, DirectMessage } from '../../app/effects.js';
import type { ActionItem, Incident, RoleAssignment, StatusUpdate } from '../../domain/incident.js';
import { actionRef, isActive, isRaise, ROLE_DUTIES, ROLE_NAMES, SEVERITY_DESCRIPTIONS } from '../../domain/incident.js';
import { escapeMrkdwn, plural, slackDate } from '../../domain/text.js';
import type { LinkedIssue } from '../../domain/follow-up.js';
import { type PageIncident, type Publication, PUBLIC_STATUS_LABELS } from '../../domain/statuspage.js';
import { ACTION } from '../ids.js';
import {
  actions, button, channelLink, clip, context, esc, holder, LIMIT, oneLine, ref, section, simple, type SlackMessage, severityEmoji, span, statusLabel,
  typed, typedOrShortened, user,
} from './kit.js';

/** Wording of an update reminder when neither the Communications Lead nor the IC is assigned. */
export const NOBODY_TO_REMIND = 'Nobody holds the Communications Lead or Incident Commander role — assign them with `/incident role`';

const UPDATE_HOW = 'Post one with `/incident update &lt;text&gt;` (or the *Post update* button on the pinned summary).';

/** A notice posted into the incident's own channel; `extra` carries the update or action item the notice refers to. */
export function channelNotice(incident: Incident, notice: ChannelNotice, extra: { update?: StatusUpdate; action?: ActionItem; publication?: Publication; page?: PageIncident; issue?: LinkedIssue } = {}): SlackMessage {
  switch (notice.type) {
    case 'role_assigned': {
      const name = ROLE_NAMES[notice.role];
      if (notice.previous && notice.previous !== notice.userId) {
        return simple(`:arrows_counterclockwise: ${name}: ${user(notice.previous)} → ${user(notice.userId)}, assigned by ${user(notice.by)}`);
      }
      return simple(`:bust_in_silhouette: ${user(notice.userId)} is now the *${name}*, assigned by ${user(notice.by)}`);
    }
    case 'severity_changed': {
      const raised = isRaise(notice.from, notice.to);
      const lines = [
        `${severityEmoji(notice.to)} Severity ${raised ? 'raised' : 'lowered'}: *${notice.from} → ${notice.to}*, changed by ${user(notice.by)}`,
        `_${SEVERITY_DESCRIPTIONS[notice.to]}_`,
      ];
      if (isActive(incident.status)) {
        lines.push(incident.nextUpdateDueAt !== null ? `Next update due ${slackDate(incident.nextUpdateDueAt)}.` : `Update reminders are off for ${notice.to}.`);
      }
      return simple(lines.join('\n'));
    }
    case 'status_changed':
      return simple(`:arrows_counterclockwise: Status: *${statusLabel(notice.from)} → ${statusLabel(notice.to)}*, changed by ${user(notice.by)}`);
    case 'status_update':
      return statusUpdateMessage(incident, extra.update, false);
    case 'update_reminder': {
      const who = [...new Set([notice.comms, notice.ic].filter((u): u is string => !!u))].map(user);
      const overdue = `a status update for ${ref(incident)} is overdue (${plural(notice.missed, 'update')} missed in a row).`;
      const first = who.length ? `:alarm_clock: ${who.join(' ')} ${overdue}` : `:alarm_clock: ${overdue[0]!.toUpperCase()}${overdue.slice(1)}\n${NOBODY_TO_REMIND}.`;
      return simple(`${first}\n${UPDATE_HOW}\nNext update due ${slackDate(notice.nextDueAt)}.`);
    }
    case 'resolved': {
      const lines = [`:white_check_mark: *${ref(incident)} resolved* by ${user(notice.by)}${lasted(incident)}.`];
      if (notice.summary?.trim()) lines.push(`*Resolution:* ${typedOrShortened(notice.summary.trim(), 2500)}`);
      lines.push('Update reminders have stopped. Next: draft the postmortem with `/incident postmortem`, then `/incident close` archives this channel.');
      return simple(lines.join('\n'));
    }
    case 'closed':
      return simple(`:lock: *${ref(incident)} closed* by ${user(notice.by)}. This channel is being archived; the timeline, action items and postmortem stay with the incident. Thanks, everyone.`);
    case 'action_added': {
      const item = extra.action;
      const text = `:clipboard: ${user(notice.by)} added action item *${actionRef(notice.seq)}*${item ? `: ${typedOrShortened(item.text, 2000)}\n${actionMeta(item)}` : '.'}`;
      const done = button('Mark done', ACTION.actionDone, `${incident.id}:${notice.seq}`);
      return { text: clip(text, LIMIT.fallbackText), blocks: [section(text, item?.status === 'done' ? {} : { accessory: done })] };
    }
    case 'action_done':
      return simple(`:ballot_box_with_check: *${actionRef(notice.seq)}* marked done by ${user(notice.by)}${extra.action ? `: ${typedOrShortened(extra.action.text, 2000)}` : '.'}`);
    case 'statuspage_published': {
      const p = extra.publication;
      const link = extra.page?.shortlink && /^https?:\/\/[^\s<>|]+$/.test(extra.page.shortlink) ? ` <${extra.page.shortlink}|View it on the status page>` : '';
      if (!p) return simple(`:globe_with_meridians: The status page was updated.${link}`);
      return simple(`:globe_with_meridians: ${user(p.by)} published to the status page: *${PUBLIC_STATUS_LABELS[p.status]}*\n>${esc(p.message, 2500).replace(/\n/g, '\n>')}\n${link.trim()}`);
    }
    case 'action_synced': {
      const issue = extra.issue && /^https:\/\/[^\s<>|]+$/.test(extra.issue.url) ? `<${extra.issue.url}|issue #${extra.issue.number}>` : 'its GitHub issue';
      const what = notice.state === 'closed' ? `:ballot_box_with_check: *${actionRef(notice.seq)}* marked done: ${issue} was closed` : `:leftwards_arrow_with_hook: *${actionRef(notice.seq)}* is open again: ${issue} was reopened`;
      return simple(`${what} on GitHub by ${escapeMrkdwn(notice.login)}${extra.action ? ` — ${typedOrShortened(extra.action.text, 2000)}` : '.'}`);
    }
    case 'snoozed':
      return simple(`:zzz: ${user(notice.by)} snoozed update reminders until ${slackDate(notice.until)}.`);
    case 'postmortem_reminder': {
      const when = incident.resolvedAt !== null ? ` (resolved ${slackDate(incident.resolvedAt)})` : '';
      return simple(`:memo: The postmortem for *${ref(incident)}*${when} is due. Draft it with \`/incident postmortem\` and record follow-ups with \`/incident action &lt;text&gt;\`.`);
    }
    case 'alerts': {
      // Alert text is whoever wrote the alert rule: escaped, and @channel/@here defused, so it can never ping anyone.
      const head = notice.verb === 'joined' ? `:bell: ${plural(notice.lines.length, 'new alert')} joined ${ref(incident)}:` : `:large_green_circle: ${plural(notice.lines.length, 'alert')} resolved (resolving ${ref(incident)} stays your decision):`;
      return simple([head, ...notice.lines.slice(0, 20).map((l) => `• ${esc(defuse(l), 600)}`)].join('\n'));
    }
    case 'paged':
      return simple(notice.action === 'trigger'
        ? `:pager: Paged through PagerDuty (${esc(defuse(notice.reason), 200)}), severity \`${notice.severity}\`, dedup key \`${notice.dedupKey}\`: ${esc(defuse(notice.summary), 1000)}`
        : `:pager: PagerDuty page resolved (dedup key \`${notice.dedupKey}\`).`);
    case 'integration_refused': {
      const fix = notice.target === 'statuspage' ? 'Check STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID; publish on the page by hand meanwhile.' : 'Check GITHUB_TOKEN (Issues: read and write) and GITHUB_REPOSITORY; file the issue by hand meanwhile.';
      return simple(`:warning: ${notice.target === 'statuspage' ? 'Statuspage' : 'GitHub'} refused ${esc(notice.what, 200)}: ${esc(notice.error, 500)}. ${fix}`);
    }
    case 'page_failed':
      return simple(`:warning: PagerDuty refused the ${notice.action === 'trigger' ? 'page' : 'resolve'}: ${esc(notice.error, 500)}. Check PAGERDUTY_ROUTING_KEY; page people another way meanwhile.`);
  }
}

/** A notice posted in ANNOUNCE_CHANNEL for stakeholders; every one links the incident channel. */
export function announcement(incident: Incident, a: Announcement, extra: { update?: StatusUpdate } = {}): SlackMessage {
  const title = esc(oneLine(incident.title), 500);
  const where = channelLink(incident);
  switch (a.type) {
    case 'declared': {
      const lines = [
        `:rotating_light: *${incident.severity} incident declared: ${ref(incident)}* — ${title}`,
        `_${SEVERITY_DESCRIPTIONS[incident.severity]}_`,
      ];
      if (incident.summary.trim()) lines.push(typedOrShortened(incident.summary.trim(), 1500));
      if (incident.services.length) lines.push(`*Affected services:* ${esc(incident.services.join(', '), 500)}`);
      lines.push(`Follow along in ${where} · declared by ${user(incident.declaredBy)} ${slackDate(incident.declaredAt)}`);
      return simple(lines.join('\n'));
    }
    case 'severity_raised':
    case 'severity_changed': {
      const raised = isRaise(a.from, a.to);
      const resolved = a.type === 'severity_changed' && a.resolved;
      const state = resolved ? ' (resolved)' : '';
      const follow = resolved ? `This incident is already resolved; details in ${where}` : `follow in ${where}`;
      return simple(`${severityEmoji(a.to)} *${ref(incident)}*${state} ${raised ? 'raised' : 'lowered'} from ${a.from} to *${a.to}* by ${user(a.by)}: ${title}\n_${SEVERITY_DESCRIPTIONS[a.to]}_ · ${follow}`);
    }
    case 'status_update':
      return statusUpdateMessage(incident, extra.update, true);
    case 'resolved': {
      const lines = [`:white_check_mark: *${ref(incident)} resolved* (${incident.severity}${lasted(incident).replace(' after', ', lasted')}): ${title}`];
      if (a.summary?.trim()) lines.push(`*Resolution:* ${typedOrShortened(a.summary.trim(), 1500)}`);
      lines.push(`Details in ${where}`);
      return simple(lines.join('\n'));
    }
    case 'gone_quiet':
      return simple(`:warning: *${ref(incident)}* (${incident.severity}) has gone quiet: ${plural(a.missed, 'status update')} missed in a row. ${title}\nFollow or help in ${where}.`);
  }
}

/** A direct message to one person about an incident. */
export function directMessage(incident: Incident, m: DirectMessage, extra: { action?: ActionItem } = {}): SlackMessage {
  const title = esc(oneLine(incident.title), 500);
  const where = channelLink(incident);
  switch (m.type) {
    case 'role_duties':
      return simple([
        `You are now the *${ROLE_NAMES[m.role]}* of *${ref(incident)}* (${incident.severity}): ${title} — assigned by ${user(m.by)}.`,
        `> ${ROLE_DUTIES[m.role]}`,
        `Join the response in ${where}.`,
      ].join('\n'));
    case 'escalation':
      return simple(`:rotating_light: *${ref(incident)}* (${incident.severity}): ${title} has ${plural(m.missed, 'missed status update')} in a row. Please post one in ${where}: \`/incident update &lt;text&gt;\`.`);
    case 'action_due': {
      const item = extra.action;
      const due = m.overdue
        ? ` is overdue${item?.dueDate ? ` (it was due ${esc(item.dueDate, 20)})` : ''}`
        : item?.dueDate ? ` is due today, ${esc(item.dueDate, 20)}` : ' is due';
      return simple(`:calendar: Action item *${actionRef(m.seq)}* of *${ref(incident)}*${due}${item ? `: ${typedOrShortened(item.text, 2000)}` : '.'}\nMark it done in ${where} with \`/incident action done ${actionRef(m.seq)}\`.`);
    }
  }
}

/** Reply to the declarer once the channel exists: the reference and a link to the channel. */
export function declaredReply(incident: Incident): SlackMessage {
  const join = incident.channelId ? `Join the response in ${channelLink(incident)}.` : 'Its channel is being created; the link follows shortly.';
  return simple(`:rotating_light: Declared *${ref(incident)}* (${incident.severity}): ${esc(oneLine(incident.title), 1000)}\n${join}`);
}

/** To the declarer when Slack refused to create the channel: what happened in plain words, and what they can do. */
export function channelRefusedReply(incident: Incident): SlackMessage {
  const code = incident.channelError ?? 'an error';
  const why = code === 'restricted_action'
    ? 'this workspace does not let the bot create channels (restricted_action)'
    : `Slack answered \`${esc(code, 60)}\``;
  const text = `:warning: *${ref(incident)}* (${incident.severity}) is recorded, but Slack refused to create its channel: ${why}. `
    + 'Ask a workspace admin to allow it, then press Retry; or Cancel if it is no longer needed. Until then it shows as having no channel in `/incident list` and App Home.';
  return simple(text, actions('channel_refused', [
    button('Retry', ACTION.retryChannel, String(incident.id), 'primary'),
    button('Cancel incident', ACTION.cancelIncident, String(incident.id), 'danger'),
  ]));
}

/** Channel topic, at most 250 characters: `SEV2 · investigating · IC <@U> · <title>`. */
export function topicText(incident: Incident, roles: readonly RoleAssignment[]): string {
  const ic = holder(roles, 'ic');
  const head = `${incident.severity} · ${incident.status} · ${ic ? `IC ${user(ic)}` : 'no IC yet'} · `;
  return clip(`${head}${escapeMrkdwn(oneLine(incident.title))}`, LIMIT.topic);
}

function statusUpdateMessage(incident: Incident, update: StatusUpdate | undefined, announce: boolean): SlackMessage {
  if (!update) return simple(`:loudspeaker: A status update was posted for *${ref(incident)}*${announce ? ` — see ${channelLink(incident)}` : ''}.`);
  const head = `:loudspeaker: *${announce ? `${ref(incident)} status update` : 'Status update'}* — ${severityEmoji(update.severity)} *${update.severity}* · ${statusLabel(update.status)}`;
  const titleLine = announce ? `\n*${esc(oneLine(incident.title), 300)}*` : '';
  const body = typedOrShortened(update.text.trim() || '(no text)', LIMIT.sectionText - head.length - titleLine.length - 5);
  const next = update.nextDueAt !== null
    ? `next update due ${slackDate(update.nextDueAt)}`
    : isActive(update.status) ? `update reminders off for ${update.severity}` : 'no further updates due';
  const meta = `Posted by ${user(update.author)} ${slackDate(update.at)} · ${next}${announce ? ` · details in ${channelLink(incident)}` : ''}`;
  const blocks: KnownBlock[] = [section(`${head}${titleLine}\n${body}`), context(meta)];
  const text = `${announce ? `${ref(incident)} status update` : 'Status update'} (${update.severity}, ${update.status}): ${typed(oneLine(update.text), 500)}`;
  return { text, blocks };
}

function lasted(incident: Incident): string {
  return incident.resolvedAt !== null ? ` after ${span(incident.resolvedAt - incident.declaredAt)}` : '';
}

function actionMeta(item: ActionItem): string {
  const owner = item.owner ? `Owner ${user(item.owner)}` : 'No owner';
  const due = item.dueDate ? `due ${esc(item.dueDate, 20)}` : 'no due date';
  return `${owner} · ${due}`;
}

/** Breaks `@channel`, `@here` and `@everyone` in untrusted text with a zero-width space, so they never read as a mass mention. */
function defuse(s: string): string {
  return s.replace(/@(channel|here|everyone)\b/gi, '@\u200b$1');
}
