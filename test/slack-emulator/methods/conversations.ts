import { argBool, argList, argString } from '../args.js';
import { SlackApiError, type MethodContext, type MethodHandler } from '../method-context.js';
import { channelToSlack, messageToSlack } from '../serialize.js';
import type { EmuChannel, EmuMessage } from '../state.js';
import { paginate, pick, requireChannel, requireMember, requireNotArchived } from './common.js';

const NAME_MAX = 80;
const TOPIC_MAX = 250;

/** Checks a channel name against Slack's rules; answers the matching invalid_name_* code. */
export function validateChannelName(name: string | undefined): string {
  if (name === undefined || name.trim().length === 0) throw new SlackApiError('invalid_name_required');
  if (name.length > NAME_MAX) throw new SlackApiError('invalid_name_maxlength');
  if (!/^[a-z0-9_-]+$/.test(name)) throw new SlackApiError('invalid_name_specials');
  if (/^[-_]+$/.test(name)) throw new SlackApiError('invalid_name_punctuation');
  return name;
}

function notForIm(ch: EmuChannel): void {
  if (ch.is_im || ch.is_mpim) throw new SlackApiError('method_not_supported_for_channel_type');
}

function setText(ctx: MethodContext, field: 'topic' | 'purpose'): Record<string, unknown> {
  const ch = requireChannel(ctx);
  requireNotArchived(ch);
  if (ch.is_im) throw new SlackApiError('method_not_supported_for_channel_type');
  requireMember(ctx, ch);
  const value = typeof ctx.args[field] === 'string' ? (ctx.args[field] as string) : '';
  if (value.length > TOPIC_MAX) throw new SlackApiError('too_long');
  ch[field] = value;
  return { channel: channelToSlack(ch, ctx.actor) };
}

function isThreadReply(m: EmuMessage): boolean {
  return m.thread_ts !== undefined && m.thread_ts !== m.ts && !m.reply_broadcast;
}

function tsBounds(ctx: MethodContext): { oldest: number; latest: number; inclusive: boolean } {
  const parse = (name: string, fallback: number, code: string): number => {
    const raw = argString(ctx.args, name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new SlackApiError(code);
    return n;
  };
  return {
    oldest: parse('oldest', 0, 'invalid_ts_oldest'),
    latest: parse('latest', Number.POSITIVE_INFINITY, 'invalid_ts_latest'),
    inclusive: argBool(ctx.args, 'inclusive'),
  };
}

/** conversations.* handlers. */
export const conversationMethods: Record<string, MethodHandler> = {
  'conversations.create': (ctx) => {
    const name = validateChannelName(argString(ctx.args, 'name'));
    if (ctx.state.channelByName(name)) throw new SlackApiError('name_taken');
    const ch = ctx.state.createChannel(name, {
      isPrivate: argBool(ctx.args, 'is_private'),
      members: [ctx.actor],
      creator: ctx.actor,
    });
    return { channel: channelToSlack(ch, ctx.actor) };
  },

  'conversations.invite': (ctx) => {
    const ch = requireChannel(ctx);
    if (ch.is_im) throw new SlackApiError('method_not_supported_for_channel_type');
    requireNotArchived(ch);
    requireMember(ctx, ch);
    const users = argList(ctx.args, 'users');
    if (users.length === 0) throw new SlackApiError('no_user');
    const errors: Record<string, unknown>[] = [];
    const toAdd: string[] = [];
    let already = 0;
    for (const u of users) {
      if (u === ctx.actor) errors.push({ user: u, ok: false, error: 'cant_invite_self' });
      else if (!ctx.state.users.has(u) || ctx.state.users.get(u)?.deleted) errors.push({ user: u, ok: false, error: 'user_not_found' });
      else if (ch.members.has(u)) already++;
      else if (!toAdd.includes(u)) toAdd.push(u);
    }
    const force = argBool(ctx.args, 'force');
    if (errors.length > 0 && !force) {
      throw new SlackApiError(String(errors[0]?.error), { errors });
    }
    if (toAdd.length === 0 && already > 0 && errors.length === 0) throw new SlackApiError('already_in_channel');
    for (const u of toAdd) ch.members.add(u);
    return { channel: channelToSlack(ch, ctx.actor), ...(errors.length > 0 ? { errors } : {}) };
  },

  'conversations.join': (ctx) => {
    const ch = requireChannel(ctx);
    if (ch.is_im || ch.is_mpim || ch.is_private) throw new SlackApiError('method_not_supported_for_channel_type');
    requireNotArchived(ch);
    const already = ch.members.has(ctx.actor);
    ch.members.add(ctx.actor);
    return {
      channel: channelToSlack(ch, ctx.actor),
      ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}),
    };
  },

  'conversations.info': (ctx) => {
    const ch = requireChannel(ctx);
    if (ch.is_private && !ch.members.has(ctx.actor)) throw new SlackApiError('channel_not_found');
    return { channel: channelToSlack(ch, ctx.actor, { numMembers: argBool(ctx.args, 'include_num_members') }) };
  },

  'conversations.setTopic': (ctx) => setText(ctx, 'topic'),
  'conversations.setPurpose': (ctx) => setText(ctx, 'purpose'),

  'conversations.archive': (ctx) => {
    const ch = requireChannel(ctx);
    notForIm(ch);
    if (ch.is_archived) throw new SlackApiError('already_archived');
    if (ch.is_general) throw new SlackApiError('cant_archive_general');
    requireMember(ctx, ch);
    ch.is_archived = true;
    return {};
  },

  'conversations.unarchive': (ctx) => {
    const ch = requireChannel(ctx);
    notForIm(ch);
    if (!ch.is_archived) throw new SlackApiError('not_archived');
    ch.is_archived = false;
    return {};
  },

  'conversations.history': (ctx) => {
    const ch = requireChannel(ctx);
    if (!ch.members.has(ctx.actor)) throw new SlackApiError(ch.is_private ? 'channel_not_found' : 'not_in_channel');
    const { oldest, latest, inclusive } = tsBounds(ctx);
    const inRange = (ts: string): boolean => {
      const n = Number(ts);
      return inclusive ? n >= oldest && n <= latest : n > oldest && n < latest;
    };
    const all = (ctx.state.messages.get(ch.id) ?? []).filter((m) => !isThreadReply(m) && inRange(m.ts)).reverse();
    const includeMetadata = argBool(ctx.args, 'include_all_metadata');
    const { page, next_cursor } = paginate(ctx, all, 100, 999);
    return {
      messages: page.map((m) => withThreadInfo(ctx, m, messageToSlack(m, { includeMetadata }))),
      has_more: next_cursor !== '',
      pin_count: ctx.state.pins.get(ch.id)?.length ?? 0,
      response_metadata: { next_cursor },
    };
  },

  'conversations.replies': (ctx) => {
    const ch = requireChannel(ctx);
    if (!ch.members.has(ctx.actor)) throw new SlackApiError(ch.is_private ? 'channel_not_found' : pick(ctx, 'not_in_channel', 'channel_not_found'));
    const ts = argString(ctx.args, 'ts') ?? '';
    const parent = ctx.state.findMessage(ch.id, ts);
    if (!parent) throw new SlackApiError('thread_not_found');
    const thread = (ctx.state.messages.get(ch.id) ?? []).filter((m) => m.ts === parent.ts || m.thread_ts === parent.ts);
    const includeMetadata = argBool(ctx.args, 'include_all_metadata');
    const { page, next_cursor } = paginate(ctx, thread, 1000, 1000);
    return {
      messages: page.map((m) => withThreadInfo(ctx, m, messageToSlack(m, { includeMetadata }))),
      has_more: next_cursor !== '',
      response_metadata: { next_cursor },
    };
  },

  'conversations.members': (ctx) => {
    const ch = requireChannel(ctx);
    if (ch.is_private && !ch.members.has(ctx.actor)) throw new SlackApiError('channel_not_found');
    const { page, next_cursor } = paginate(ctx, [...ch.members], 100, 1000);
    return { members: page, response_metadata: { next_cursor } };
  },

  'conversations.open': (ctx) => {
    const channelArg = argString(ctx.args, 'channel');
    if (channelArg) {
      const ch = ctx.state.channels.get(channelArg);
      if (!ch || !(ch.is_im || ch.is_mpim)) throw new SlackApiError('channel_not_found');
      return { channel: argBool(ctx.args, 'return_im') ? channelToSlack(ch, ctx.actor) : { id: ch.id }, already_open: true };
    }
    const users = argList(ctx.args, 'users').filter((u) => u !== ctx.actor);
    if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
    if (users.length > 8) throw new SlackApiError('too_many_users');
    for (const u of users) if (!ctx.state.users.has(u)) throw new SlackApiError('user_not_found');
    const [only] = users;
    const existedBefore = [...ctx.state.channels.values()].some((c) => c.is_im && c.user === only);
    const ch = users.length === 1 && only ? ctx.state.openIm(only) : ctx.state.openMpim(users);
    const full = argBool(ctx.args, 'return_im') || users.length > 1;
    return {
      channel: full ? channelToSlack(ch, ctx.actor) : { id: ch.id },
      ...(users.length === 1 ? { no_op: existedBefore, already_open: existedBefore } : {}),
    };
  },

  'conversations.list': (ctx) => {
    const types = new Set(argList(ctx.args, 'types'));
    if (types.size === 0) types.add('public_channel');
    const known = ['public_channel', 'private_channel', 'im', 'mpim'];
    if ([...types].some((t) => !known.includes(t))) throw new SlackApiError('invalid_types');
    const excludeArchived = argBool(ctx.args, 'exclude_archived');
    const all = [...ctx.state.channels.values()].filter((ch) => {
      if (excludeArchived && ch.is_archived) return false;
      const type = ch.is_im ? 'im' : ch.is_mpim ? 'mpim' : ch.is_private ? 'private_channel' : 'public_channel';
      if (!types.has(type)) return false;
      return type === 'public_channel' || ch.members.has(ctx.actor);
    });
    const { page, next_cursor } = paginate(ctx, all, 100, 1000);
    return { channels: page.map((ch) => channelToSlack(ch, ctx.actor, { numMembers: true })), response_metadata: { next_cursor } };
  },
};

function withThreadInfo(ctx: MethodContext, m: EmuMessage, out: Record<string, unknown>): Record<string, unknown> {
  const replies = (ctx.state.messages.get(m.channel) ?? []).filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);
  if (replies.length > 0) {
    out.thread_ts = m.ts;
    out.reply_count = replies.length;
    out.latest_reply = replies[replies.length - 1]?.ts;
  }
  if (ctx.state.pins.get(m.channel)?.some((p) => p.ts === m.ts)) out.pinned_to = [m.channel];
  return out;
}

