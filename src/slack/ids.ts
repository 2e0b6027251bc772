/**
 * The ids several builders render, so no one action owns them: the buttons on shared messages (pinned summary, App Home,
 * notices, replies), the message shortcuts manifest.yml declares, and the delivery marker. A form's own ids (its
 * callback_id and its inputs' block and action ids) live with the action that owns the form (src/slack/actions/).
 */

/** Message shortcut callback ids (as declared in manifest.yml). */
export const SHORTCUT = {
  declare: 'declare_incident',
  addToTimeline: 'add_to_timeline',
} as const;

/** Button action ids on the pinned summary and other messages; the value carries the incident id. */
export const ACTION = {
  assignRole: 'incident_assign_role',
  changeSeverity: 'incident_change_severity',
  postUpdate: 'incident_post_update',
  resolve: 'incident_resolve',
  addAction: 'incident_add_action',
  actionDone: 'incident_action_done',
  postmortem: 'incident_postmortem',
  declare: 'incident_declare',
  /** On the near-duplicate warning: declare the new incident after all. */
  declareAnyway: 'incident_declare_anyway',
  /** On the near-duplicate warning: a link button to the earlier incident's channel (Slack still sends the click). */
  goToIncident: 'incident_go_to',
  /** When Slack refused to create the channel: try again, or cancel the incident. */
  retryChannel: 'incident_retry_channel',
  cancelIncident: 'incident_cancel',
  statuspage: 'incident_statuspage',
} as const;

/** Metadata event type marking the bot's own deliveries, so a retry can see a message already landed. */
export const DELIVERY_EVENT_TYPE = 'incident_bot_delivery';
