/** The App Home tab: a declare button and the open incidents. */
import type { HomeView, KnownBlock } from '@slack/types';
import type { IncidentView } from '../../app/queries.js';
import { slackDate } from '../../domain/text.js';
import { ACTION } from '../ids.js';
import { actions, button, context, divider, header, LIMIT, section } from './kit.js';
import { incidentSections } from './replies.js';

/** Block id of the Home tab's declare button. */
export const HOME_ACTIONS_BLOCK = 'home_actions';

/** The Home tab (at most 100 blocks): title, "Declare incident" button, then each open incident with severity, status, IC, age and channel. */
export function homeView(views: readonly IncidentView[], now: number): HomeView {
  const blocks: KnownBlock[] = [
    header('Incidents'),
    section('Something broken? Declare an incident: you get a channel, a pinned summary and update reminders. You can also type `/incident declare` anywhere.'),
    actions(HOME_ACTIONS_BLOCK, [button('Declare incident', ACTION.declare, 'home', 'primary')]),
    divider(),
    section(views.length ? `*Open incidents (${views.length})*` : '*No open incidents.* :tada:'),
  ];
  const footer = context(`Updated ${slackDate(now)} · \`/incident help\` lists every command.`);
  blocks.push(...incidentSections(views, now, LIMIT.viewBlocks - blocks.length - 1), footer);
  return { type: 'home', blocks };
}
