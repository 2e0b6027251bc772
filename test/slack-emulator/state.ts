import { randomBytes } from 'node:crypto';

/** The emulated workspace's team id. */
export const TEAM_ID = 'T0001';
/** The emulated workspace's domain. */
export const TEAM_DOMAIN = 'emulator';
/** The bot user's id. */
export const BOT_USER_ID = 'U0BOT';
/** The bot's bot id. */
export const BOT_ID = 'B0BOT';
/** The app id of the bot. */
export const APP_ID = 'A0APP';
/** The seeded #general channel, where every seeded user and the bot are members. */
export const GENERAL_CHANNEL_ID = 'C_GENERAL';
/** User ids seeded into every workspace. */
export const SEEDED_USER_IDS: readonly string[] = Array.from({ length: 9 }, (_, i) => `U000${i + 1}`);

/** A workspace member. */
export interface EmuUser {
  id: string;
  name: string;
  real_name: string;
  /** profile.display_name; Slack leaves it empty when the person never set one (defaults to `name`). */
  display_name?: string;
  tz: string;
  is_bot: boolean;
  deleted: boolean;
}

/** A conversation: public/private channel, IM (`D…`) or group DM. */
export interface EmuChannel {
  id: string;
  name: string;
  topic: string;
  purpose: string;
  members: Set<string>;
  is_archived: boolean;
  is_private: boolean;
  is_im: boolean;
  is_mpim: boolean;
  is_general: boolean;
  created: number;
  creator: string;
  /** For an IM, the other user. */
  user?: string;
  /** The bot may post here without being a member (chat:write.public). */
  publicPostAllowed: boolean;
}

/** Options of `createChannel`. */
export interface CreateChannelOptions {
  id?: string;
  members?: readonly string[];
  isPrivate?: boolean;
  topic?: string;
  purpose?: string;
  publicPostAllowed?: boolean;
  isArchived?: boolean;
  creator?: string;
}

/** A reaction on a message. */
export interface EmuReaction {
  name: string;
  users: string[];
  count: number;
}

/** Message metadata as Slack stores it. */
export interface EmuMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A message stored in a conversation. */
export interface EmuMessage {
  type: 'message';
  subtype?: string;
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  user?: string;
  bot_id?: string;
  app_id?: string;
  metadata?: EmuMetadata;
  thread_ts?: string;
  reply_broadcast?: boolean;
  edited?: { user: string; ts: string };
  reactions: EmuReaction[];
  files?: string[];
}

/** A pin of a message in a channel. */
export interface EmuPin {
  ts: string;
  created: number;
  created_by: string;
}

/** A modal or Home tab view as Slack keeps it. */
export interface EmuView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: Record<string, unknown>[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
  app_installed_team_id: string;
  /** The user the view is shown to (not a Slack field). */
  user_id: string;
  /** Closed by the user or by a view_submission ack (not a Slack field). */
  closed: boolean;
}

/** A file uploaded through files.getUploadURLExternal + upload + files.completeUploadExternal. */
export interface EmuFile {
  id: string;
  name: string;
  title: string;
  length: number;
  bytes: Buffer | null;
  /** The uploaded bytes as UTF-8 text ('' until uploaded). */
  content: string;
  completed: boolean;
  channels: string[];
  user: string;
  created: number;
}

/** An ephemeral message shown to one user in a conversation. */
export interface EmuEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  message_ts: string;
  at: number;
}

/** A POST the bot made to a fake response_url. */
export interface EmuResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

/** A trigger_id handed to the bot in an interaction payload. */
export interface EmuTrigger {
  id: string;
  userId: string;
  issuedAt: number;
  exchanged: boolean;
}

/** All mutable workspace data of the emulator. */
export class WorkspaceState {
  users = new Map<string, EmuUser>();
  channels = new Map<string, EmuChannel>();
  messages = new Map<string, EmuMessage[]>();
  pins = new Map<string, EmuPin[]>();
  views = new Map<string, EmuView>();
  homeViews = new Map<string, EmuView>();
  files = new Map<string, EmuFile>();
  triggers = new Map<string, EmuTrigger>();
  responseUrls = new Map<string, { uses: number; issuedAt: number }>();
  ephemerals: EmuEphemeral[] = [];
  responses: EmuResponse[] = [];
  private counters = new Map<string, number>();
  private lastTsMicros = 0;

  /** Creates a seeded workspace; `now` is the clock (ms). */
  constructor(readonly now: () => number = Date.now) {
    this.seed();
  }

  private seed(): void {
    this.users.set(BOT_USER_ID, { id: BOT_USER_ID, name: 'incident-bot', real_name: 'Incident Bot', tz: 'UTC', is_bot: true, deleted: false });
    for (const [i, id] of SEEDED_USER_IDS.entries()) this.addUser(id, `user${i + 1}`);
    this.createChannel('general', {
      id: GENERAL_CHANNEL_ID,
      members: [...SEEDED_USER_IDS, BOT_USER_ID],
      purpose: 'This channel is for workspace-wide communication and announcements.',
    }).is_general = true;
  }

  /** A fresh id like `C00000001` for a prefix. */
  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${String(n).padStart(8, '0')}`;
  }

  /** A fresh message ts, strictly increasing, derived from the clock (`1700000000.000100`). */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.now()) * 1000, this.lastTsMicros + 100);
    this.lastTsMicros = micros;
    const sec = Math.floor(micros / 1_000_000);
    return `${sec}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /** A view hash like `1700000000.a1b2c3d4`. */
  nextHash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  /** Adds (or replaces) a workspace member; `profile` sets a real name and display name other than `name`. */
  addUser(id: string, name: string, tz = 'UTC', profile: { realName?: string; displayName?: string } = {}): EmuUser {
    const user: EmuUser = { id, name, real_name: profile.realName ?? name, display_name: profile.displayName, tz, is_bot: false, deleted: false };
    this.users.set(id, user);
    return user;
  }

  /** Adds a conversation directly (no API call, no name validation). */
  createChannel(name: string, opts: CreateChannelOptions = {}): EmuChannel {
    const ch: EmuChannel = {
      id: opts.id ?? this.nextId(opts.isPrivate ? 'G' : 'C'),
      name,
      topic: opts.topic ?? '',
      purpose: opts.purpose ?? '',
      members: new Set(opts.members ?? []),
      is_archived: opts.isArchived ?? false,
      is_private: opts.isPrivate ?? false,
      is_im: false,
      is_mpim: false,
      is_general: false,
      created: Math.floor(this.now() / 1000),
      creator: opts.creator ?? SEEDED_USER_IDS[0] ?? BOT_USER_ID,
      publicPostAllowed: opts.publicPostAllowed ?? false,
    };
    this.channels.set(ch.id, ch);
    this.messages.set(ch.id, []);
    return ch;
  }

  /** A conversation by id, or by name (`general` or `#general`). */
  resolveChannel(idOrName: string): EmuChannel | undefined {
    const byId = this.channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, '');
    return this.channelByName(name);
  }

  /** A named (non-IM) conversation by name. */
  channelByName(name: string): EmuChannel | undefined {
    for (const ch of this.channels.values()) if (!ch.is_im && !ch.is_mpim && ch.name === name) return ch;
    return undefined;
  }

  /** The IM between the bot and a user, created when missing. */
  openIm(userId: string): EmuChannel {
    for (const ch of this.channels.values()) if (ch.is_im && ch.user === userId) return ch;
    const ch = this.createChannel(userId, { id: this.nextId('D'), members: [BOT_USER_ID, userId], isPrivate: true, creator: BOT_USER_ID });
    ch.is_im = true;
    ch.user = userId;
    return ch;
  }

  /** The group DM of the bot with several users, created when missing. */
  openMpim(userIds: readonly string[]): EmuChannel {
    const all = new Set([BOT_USER_ID, ...userIds]);
    for (const ch of this.channels.values()) {
      if (ch.is_mpim && ch.members.size === all.size && [...all].every((u) => ch.members.has(u))) return ch;
    }
    const names = [...all].map((u) => this.users.get(u)?.name ?? u);
    const ch = this.createChannel(`mpdm-${names.join('--')}-1`, { id: this.nextId('G'), members: [...all], isPrivate: true, creator: BOT_USER_ID });
    ch.is_mpim = true;
    return ch;
  }

  /** Appends a message to a conversation. */
  addMessage(msg: EmuMessage): EmuMessage {
    const list = this.messages.get(msg.channel) ?? [];
    list.push(msg);
    this.messages.set(msg.channel, list);
    return msg;
  }

  /** A message by conversation and ts. */
  findMessage(channel: string, ts: string): EmuMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  /** Issues a trigger_id for a user, optionally already `ageMs` old. */
  issueTrigger(userId: string, ageMs = 0): EmuTrigger {
    const id = `${Math.floor(this.now() / 1000)}.${this.nextId('').replace(/^0+/, '')}.${randomBytes(16).toString('hex')}`;
    const trigger: EmuTrigger = { id, userId, issuedAt: this.now() - ageMs, exchanged: false };
    this.triggers.set(id, trigger);
    return trigger;
  }
}
