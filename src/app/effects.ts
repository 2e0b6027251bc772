/** Slack work a use case asks for, as data: stored in the outbox with the state change and delivered later by the Slack layer. */
import type { Role, Severity, Status } from '../domain/incident.js';

/** A notice posted into an incident's channel. */
export type ChannelNotice =
  | { type: 'role_assigned'; role: Role; userId: string; previous: string | null; by: string }
  | { type: 'severity_changed'; from: Severity; to: Severity; by: string }
  | { type: 'status_changed'; from: Status; to: Status; by: string }
  | { type: 'status_update'; updateId: number }
  | { type: 'update_reminder'; missed: number; comms: string | null; ic: string | null; nextDueAt: number }
  | { type: 'resolved'; by: string; summary: string | null }
  | { type: 'closed'; by: string }
  | { type: 'action_added'; seq: number; by: string }
  | { type: 'action_done'; seq: number; by: string }
  | { type: 'snoozed'; until: number; by: string }
  | { type: 'postmortem_reminder' }
  /** Alerts that joined the incident or resolved, one line each (alert text, escaped when rendered). */
  | { type: 'alerts'; verb: 'joined' | 'resolved'; lines: string[] }
  /** PagerDuty accepted a page (trigger) or its end (resolve). */
  | { type: 'paged'; action: 'trigger' | 'resolve'; summary: string; severity: string; reason: string; dedupKey: string }
  /** PagerDuty refused a page for good (e.g. a wrong routing key). */
  | { type: 'page_failed'; action: 'trigger' | 'resolve'; error: string }
  | { type: 'statuspage_published'; publicationId: number }
  | { type: 'action_synced'; seq: number; state: 'open' | 'closed'; login: string }
  /** Statuspage or GitHub refused for good (a wrong key, a deleted page incident, no such repository). */
  | { type: 'integration_refused'; target: 'statuspage' | 'github'; what: string; error: string };

/** A notice posted in ANNOUNCE_CHANNEL. */
export type Announcement =
  | { type: 'declared' }
  /** Kept so announcements queued before severity_changed existed are still delivered. */
  | { type: 'severity_raised'; from: Severity; to: Severity; by: string }
  | { type: 'severity_changed'; from: Severity; to: Severity; by: string; resolved: boolean }
  | { type: 'status_update'; updateId: number }
  | { type: 'resolved'; summary: string | null }
  | { type: 'gone_quiet'; missed: number };

/** A direct message to one person. */
export type DirectMessage =
  | { type: 'role_duties'; incidentId: number; role: Role; by: string }
  | { type: 'escalation'; incidentId: number; missed: number }
  /** `overdue`: the due date has passed in the owner's zone (weekly follow-ups); absent in rows queued by older versions. */
  | { type: 'action_due'; incidentId: number; seq: number; overdue?: boolean };

/** Where an effect is delivered; each target has its own worker, breaker, backoff and metrics. */
export const TARGETS = ['slack', 'pagerduty', 'statuspage', 'github'] as const;
/** A delivery target of the outbox. */
export type Target = (typeof TARGETS)[number];

/** A PagerDuty Events API v2 call: `trigger` pages, `resolve` ends the page; both keyed by the incident's reference. */
export interface PagerDutyEffect {
  kind: 'pagerduty_event';
  incidentId: number;
  action: 'trigger' | 'resolve';
  /** What the page says (trigger only). */
  summary: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  /** Why it pages: a declaration, a raise, or `/incident page` by someone. */
  reason: string;
}

/** Work for a target other than Slack. */
export type ExternalEffect = PagerDutyEffect | StatuspageEffect | GitHubEffect;

/** An inbound Slack event or interaction kept in the inbox (the outbox table), acknowledged only once stored; its Slack look-ups run on delivery. */
export type InboundEvent =
  | { type: 'reaction_added'; user: string; reaction: string; channel: string; ts: string; itemUser: string | null }
  | { type: 'app_home_opened'; user: string }
  | { type: 'timeline_shortcut'; user: string; channel: string; ts: string; author: string | null; text: string; responseUrl: string | null };

/** One unit of Slack work. */
export type SlackEffect =
  | { kind: 'inbound'; eventId: string; event: InboundEvent }
  | { kind: 'create_channel'; incidentId: number; replyTo: { userId: string; responseUrl: string | null } }
  | { kind: 'invite'; incidentId: number; userIds: string[] }
  | { kind: 'post_summary'; incidentId: number }
  | { kind: 'pin_summary'; incidentId: number }
  | { kind: 'refresh_summary'; incidentId: number }
  | { kind: 'set_topic'; incidentId: number }
  | { kind: 'channel_notice'; incidentId: number; notice: ChannelNotice }
  | { kind: 'announce'; incidentId: number; announcement: Announcement }
  | { kind: 'dm'; userId: string; message: DirectMessage }
  | { kind: 'declared_reply'; incidentId: number; userId: string; responseUrl: string | null }
  /** Slack refused to create the channel: the declarer is told, with buttons to retry or cancel. */
  | { kind: 'channel_refused'; incidentId: number; userId: string; responseUrl: string | null }
  | { kind: 'archive'; incidentId: number }
  | { kind: 'upload_postmortem'; incidentId: number; userId: string }
  /** Fetches a person's name and time zone into the people directory. */
  | { kind: 'lookup_person'; userId: string };

/** A publication to Atlassian Statuspage: creates the page's incident the first time, updates it after. */
export interface StatuspageEffect { kind: 'statuspage_publish'; incidentId: number; publicationId: number }

/** GitHub work for an action item: open its issue once, then close or reopen it. */
export type GitHubEffect =
  | { kind: 'github_issue_create'; incidentId: number; actionItemId: number }
  | { kind: 'github_issue_state'; incidentId: number; actionItemId: number; state: 'open' | 'closed' };

/** One unit of work for any target. */
export type Effect = SlackEffect | ExternalEffect;

/** The target an effect is delivered to. */
export function targetOf(effect: Effect): Target {
  switch (effect.kind) {
    case 'pagerduty_event':
      return 'pagerduty';
    case 'statuspage_publish':
      return 'statuspage';
    case 'github_issue_create':
    case 'github_issue_state':
      return 'github';
    default:
      return 'slack';
  }
}

/** Where an effect queues: effects sharing a lane are delivered one after another, in order. */
export function laneOf(effect: Effect): string | null {
  switch (effect.kind) {
    case 'channel_notice':
    case 'post_summary':
    case 'upload_postmortem':
    // A refresh renders the incident as it is when it runs. Outside the lane, two refreshes could be in flight at once
    // and the older picture land last, leaving the pinned summary stale; and one run before the summary was posted
    // would find nothing to refresh while the post still carried an older picture.
    case 'refresh_summary':
      return `channel:${effect.incidentId}`;
    case 'set_topic':
      // The same for the topic: one at a time, so the latest roles and status are the ones that stay.
      return `topic:${effect.incidentId}`;
    case 'archive':
      // Archiving goes last in the channel's lane so nothing queued before it lands in an archived channel.
      return `channel:${effect.incidentId}`;
    case 'invite':
    case 'declared_reply':
      // The declarer's link waits for their invite (issue 11 item 7).
      return `invite:${effect.incidentId}`;
    case 'announce':
      return 'announce';
    case 'dm':
      return `dm:${effect.userId}`;
    case 'pagerduty_event':
      // A resolve must never overtake the trigger it ends.
      return `pagerduty:${effect.incidentId}`;
    case 'statuspage_publish':
      // Publications of one incident go out in order: the first creates the page incident, the later ones update it.
      return `statuspage:${effect.incidentId}`;
    case 'github_issue_create':
    case 'github_issue_state':
      // An issue is closed or reopened only after it exists.
      return `github:${effect.actionItemId}`;
    default:
      return null;
  }
}
