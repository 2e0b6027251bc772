/** action_id, callback_id and block_id constants shared by the Block Kit builders and the listeners. */

/** Modal callback ids. */
export const VIEW = {
  declare: 'declare_incident_modal',
  update: 'status_update_modal',
  role: 'assign_role_modal',
  severity: 'change_severity_modal',
  action: 'add_action_modal',
  resolve: 'resolve_modal',
  statuspage: 'statuspage_modal',
} as const;

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

/** Block and action ids of modal inputs (block_id → action_id inside). */
export const INPUT = {
  title: { block: 'title', action: 'title_input' },
  severity: { block: 'severity', action: 'severity_select' },
  summary: { block: 'summary', action: 'summary_input' },
  services: { block: 'services', action: 'services_input' },
  updateStatus: { block: 'update_status', action: 'update_status_select' },
  known: { block: 'known', action: 'known_input' },
  doing: { block: 'doing', action: 'doing_input' },
  nextIn: { block: 'next_in', action: 'next_in_select' },
  role: { block: 'role', action: 'role_select' },
  user: { block: 'user', action: 'user_select' },
  actionText: { block: 'action_text', action: 'action_text_input' },
  owner: { block: 'owner', action: 'owner_select' },
  due: { block: 'due', action: 'due_picker' },
  resolution: { block: 'resolution', action: 'resolution_input' },
  publicStatus: { block: 'public_status', action: 'public_status_select' },
  publicMessage: { block: 'public_message', action: 'public_message_input' },
} as const;

/** Metadata event type marking the bot's own deliveries, so a retry can see a message already landed. */
export const DELIVERY_EVENT_TYPE = 'incident_bot_delivery';
