/** The pinned summary message of an incident channel, rebuilt whole from the incident on every change. */
import type { Button, KnownBlock } from '@slack/types';
import type { IncidentView } from '../../app/queries.js';
import { isActive, ROLE_NAMES, SEVERITY_DESCRIPTIONS } from '../../domain/incident.js';
import { escapeMrkdwn, plural, slackDate } from '../../domain/text.js';
import { PUBLIC_STATUS_LABELS } from '../../domain/statuspage.js';
import { ACTION } from '../ids.js';
import { actions, ago, button, context, esc, header, holder, LIMIT, oneLine, ref, section, type SlackMessage, severityEmoji, span, statusLabel, typedOrShortened, user } from './kit.js';

/** Wording shown on the summary when nobody is Incident Commander. */
export const NO_IC_TEXT = '*No Incident Commander yet* — take it with `/incident role ic @you`';

/** Block id of the summary's buttons. */
export const SUMMARY_ACTIONS_BLOCK = 'incident_summary_actions';

/** The pinned summary: header, severity/status/age, roles, summary, services, update clock and action buttons. */
export function summaryMessage(view: IncidentView, now: number): SlackMessage {
  const { incident, roles } = view;
  const active = isActive(incident.status);
  const blocks: KnownBlock[] = [];

  const headline = `${ref(incident)}: ${escapeMrkdwn(oneLine(incident.title))}`;
  blocks.push(header(headline));
  // A header holds 150 characters: a longer title is shown whole (up to a section's limit) right under it.
  if (headline.length > LIMIT.headerText) blocks.push(section(`*Title:* ${typedOrShortened(oneLine(incident.title), LIMIT.sectionText - 20)}`));

  const state = [
    `${severityEmoji(incident.severity)} *${incident.severity}*`,
    `*${statusLabel(incident.status)}*`,
    `declared ${slackDate(incident.declaredAt)} · ${ago(now - incident.declaredAt)}`,
  ];
  if (incident.resolvedAt !== null) state.push(`resolved ${slackDate(incident.resolvedAt)} after ${span(incident.resolvedAt - incident.declaredAt)}`);
  if (incident.closedAt !== null) state.push(`closed ${slackDate(incident.closedAt)}`);
  blocks.push(section(`${state.join(' · ')}\n_${SEVERITY_DESCRIPTIONS[incident.severity]}_`));

  const ic = holder(roles, 'ic');
  const tech = holder(roles, 'tech');
  const comms = holder(roles, 'comms');
  blocks.push(section([
    ic ? `*${ROLE_NAMES.ic}:* ${user(ic)}` : NO_IC_TEXT,
    `*${ROLE_NAMES.tech}:* ${tech ? user(tech) : '_unassigned_'}`,
    `*${ROLE_NAMES.comms}:* ${comms ? user(comms) : '_unassigned_'}`,
  ].join('\n')));

  const summary = incident.summary.trim();
  blocks.push(section(`*Summary*\n${summary ? typedOrShortened(summary, LIMIT.sectionText - 20) : '_No summary given._'}`));
  if (incident.services.length) {
    blocks.push(section(`*Affected services:* ${esc(incident.services.join(', '), LIMIT.sectionText - 30)}`));
  }
  if (incident.resolution?.trim()) {
    blocks.push(section(`*Resolution*\n${typedOrShortened(incident.resolution.trim(), LIMIT.sectionText - 20)}`));
  }

  blocks.push(context(lastUpdateText(incident.lastUpdateAt, now), nextUpdateText(view, now)));
  if (view.page) {
    const link = view.page.shortlink && /^https?:\/\/[^\s<>|]+$/.test(view.page.shortlink) ? ` · <${view.page.shortlink}|view>` : '';
    blocks.push(context(`:globe_with_meridians: Status page: *${PUBLIC_STATUS_LABELS[view.page.status]}* (since ${slackDate(view.page.updatedAt)})${link}`));
  } else if (view.statuspage) {
    blocks.push(context(':globe_with_meridians: Status page: _nothing published yet_'));
  }

  const buttons: Button[] = [button('Assign role', ACTION.assignRole, String(incident.id)), button('Change severity', ACTION.changeSeverity, String(incident.id))];
  if (incident.status !== 'closed') buttons.push(button('Post update', ACTION.postUpdate, String(incident.id), 'primary'));
  buttons.push(button('Add action', ACTION.addAction, String(incident.id)));
  if (view.statuspage && incident.status !== 'closed') buttons.push(button('Status page', ACTION.statuspage, String(incident.id)));
  if (active) buttons.push(button('Resolve', ACTION.resolve, String(incident.id), 'danger'));
  else buttons.push(button('Postmortem', ACTION.postmortem, String(incident.id)));
  blocks.push(actions(SUMMARY_ACTIONS_BLOCK, buttons));

  const text = `${ref(incident)} · ${incident.severity} · ${incident.status} · IC ${ic ? user(ic) : 'none'}: ${esc(oneLine(incident.title), 300)}`;
  return { text, blocks };
}

function lastUpdateText(lastUpdateAt: number | null, now: number): string {
  return lastUpdateAt === null ? 'Last update: _none yet_' : `Last update: ${slackDate(lastUpdateAt)} (${ago(now - lastUpdateAt)})`;
}

function nextUpdateText({ incident }: IncidentView, now: number): string {
  if (incident.status === 'closed') return 'Closed';
  if (incident.status === 'resolved') return 'Resolved: no more updates due';
  if (incident.nextUpdateDueAt === null) return `Update reminders off for ${incident.severity}`;
  const missed = incident.missedUpdates > 0 ? ` · ${plural(incident.missedUpdates, 'update')} missed in a row` : '';
  const overdue = incident.nextUpdateDueAt < now ? ' (overdue)' : '';
  return `Next update due ${slackDate(incident.nextUpdateDueAt)}${overdue}${missed}`;
}
