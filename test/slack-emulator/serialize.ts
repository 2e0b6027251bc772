import { APP_ID, BOT_ID, TEAM_ID, type EmuChannel, type EmuFile, type EmuMessage, type EmuUser, type EmuView } from './state.js';

/** A conversation in Slack's `conversation` shape, `is_member` relative to `actor`. */
export function channelToSlack(ch: EmuChannel, actor: string, opts: { numMembers?: boolean } = {}): Record<string, unknown> {
  if (ch.is_im) {
    return { id: ch.id, created: ch.created, is_im: true, is_org_shared: false, user: ch.user, is_user_deleted: false, priority: 0 };
  }
  const out: Record<string, unknown> = {
    id: ch.id,
    name: ch.name,
    is_channel: !ch.is_private && !ch.is_mpim,
    is_group: ch.is_private && !ch.is_mpim,
    is_im: false,
    is_mpim: ch.is_mpim,
    is_private: ch.is_private,
    created: ch.created,
    is_archived: ch.is_archived,
    is_general: ch.is_general,
    unlinked: 0,
    name_normalized: ch.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: TEAM_ID,
    creator: ch.creator,
    is_member: ch.members.has(actor),
    topic: { value: ch.topic, creator: ch.topic ? ch.creator : '', last_set: ch.topic ? ch.created : 0 },
    purpose: { value: ch.purpose, creator: ch.purpose ? ch.creator : '', last_set: ch.purpose ? ch.created : 0 },
    previous_names: [],
  };
  if (opts.numMembers) out.num_members = ch.members.size;
  return out;
}

/** A message in Slack's shape; metadata only when asked for (as conversations.history does). */
export function messageToSlack(m: EmuMessage, opts: { includeMetadata?: boolean; files?: EmuFile[] } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { type: 'message', ts: m.ts, text: m.text };
  if (m.subtype) out.subtype = m.subtype;
  if (m.user) out.user = m.user;
  if (m.bot_id) {
    out.bot_id = m.bot_id;
    out.app_id = m.app_id ?? APP_ID;
    out.bot_profile = { id: BOT_ID, app_id: APP_ID, name: 'incident-bot', deleted: false, team_id: TEAM_ID };
  }
  out.team = TEAM_ID;
  if (m.blocks) out.blocks = m.blocks;
  if (m.attachments) out.attachments = m.attachments;
  if (m.thread_ts) out.thread_ts = m.thread_ts;
  if (m.reply_broadcast) out.reply_broadcast = true;
  if (m.edited) out.edited = m.edited;
  if (m.reactions.length > 0) out.reactions = m.reactions.map((r) => ({ ...r, users: [...r.users] }));
  if (opts.files && opts.files.length > 0) out.files = opts.files.map(fileToSlack);
  if (opts.includeMetadata !== false && m.metadata) out.metadata = m.metadata;
  return out;
}

/** A user in Slack's `user` shape. */
export function userToSlack(u: EmuUser): Record<string, unknown> {
  return {
    id: u.id,
    team_id: TEAM_ID,
    name: u.name,
    deleted: u.deleted,
    real_name: u.real_name,
    tz: u.tz,
    tz_label: u.tz,
    tz_offset: tzOffsetSeconds(u.tz),
    is_bot: u.is_bot,
    is_app_user: false,
    is_admin: false,
    is_owner: false,
    updated: 1700000000,
    profile: {
      real_name: u.real_name,
      display_name: u.display_name ?? u.name,
      real_name_normalized: u.real_name,
      display_name_normalized: u.display_name ?? u.name,
      email: u.is_bot ? undefined : `${u.name}@emulator.slack.test`,
      team: TEAM_ID,
      ...(u.is_bot ? { bot_id: BOT_ID, api_app_id: APP_ID } : {}),
    },
  };
}

/** Offset of an IANA time zone from UTC, in seconds, now. */
export function tzOffsetSeconds(tz: string): number {
  try {
    const now = new Date();
    const local = new Date(now.toLocaleString('en-US', { timeZone: tz }));
    const utc = new Date(now.toLocaleString('en-US', { timeZone: 'UTC' }));
    return Math.round((local.getTime() - utc.getTime()) / 1000);
  } catch {
    return 0;
  }
}

/** A view in Slack's shape (internal fields dropped). */
export function viewToSlack(v: EmuView): Record<string, unknown> {
  const { user_id: _user, closed: _closed, ...rest } = v;
  return structuredClone(rest) as Record<string, unknown>;
}

/** A file in Slack's `file` shape. */
export function fileToSlack(f: EmuFile): Record<string, unknown> {
  return {
    id: f.id,
    created: f.created,
    timestamp: f.created,
    name: f.name,
    title: f.title,
    mimetype: 'text/plain',
    filetype: f.name.includes('.') ? f.name.split('.').pop() : 'text',
    user: f.user,
    size: f.length,
    is_external: false,
    is_public: f.channels.length > 0,
    url_private: `https://files.emulator.slack.test/files-pri/${TEAM_ID}-${f.id}/${encodeURIComponent(f.name)}`,
    permalink: `https://emulator.slack.test/files/${f.user}/${f.id}/${encodeURIComponent(f.name)}`,
    channels: [...f.channels],
  };
}
