import { argBool, argString } from '../args.js';
import { SlackApiError, type MethodContext, type MethodHandler } from '../method-context.js';
import { messageToSlack } from '../serialize.js';
import type { EmuChannel, EmuMessage } from '../state.js';
import {
  authorFields,
  messageBlocks,
  messageMetadata,
  messageText,
  requireChannel,
  requireMember,
  requireNotArchived,
} from './common.js';

/** The conversation a message goes to: a `U…` channel means the IM with that user. */
export function postTarget(ctx: MethodContext, argName = 'channel'): EmuChannel {
  const ref = argString(ctx.args, argName);
  if (ref && /^[UW][A-Z0-9_]+$/.test(ref) && !ctx.state.channels.has(ref)) {
    if (!ctx.state.users.has(ref)) throw new SlackApiError('channel_not_found');
    return ctx.state.openIm(ref);
  }
  return requireChannel(ctx, argName);
}

function attachments(ctx: MethodContext): unknown[] | undefined {
  const a = ctx.args.attachments;
  if (a === undefined || a === null || a === '') return undefined;
  if (!Array.isArray(a)) throw new SlackApiError('invalid_arguments');
  if (a.length > 100) throw new SlackApiError('too_many_attachments');
  return a;
}

/** Permalink of a message in the emulated workspace. */
export function permalink(channel: string, ts: string, threadTs?: string): string {
  const base = `https://emulator.slack.test/archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}

/** chat.* handlers. */
export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': (ctx) => {
    const ch = postTarget(ctx);
    requireNotArchived(ch);
    requireMember(ctx, ch, { posting: true });
    const text = messageText(ctx, ctx.allows('msg_too_long'));
    const blocks = messageBlocks(ctx);
    const atts = attachments(ctx);
    if (text === undefined && blocks === undefined && atts === undefined) throw new SlackApiError('no_text');
    const metadata = messageMetadata(ctx);
    const threadTs = argString(ctx.args, 'thread_ts');
    const msg: EmuMessage = ctx.state.addMessage({
      type: 'message',
      channel: ch.id,
      ts: ctx.state.nextTs(),
      text: text ?? '',
      ...(blocks ? { blocks } : {}),
      ...(atts ? { attachments: atts } : {}),
      ...authorFields(ctx),
      ...(metadata ? { metadata } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(threadTs && argBool(ctx.args, 'reply_broadcast') ? { reply_broadcast: true } : {}),
      reactions: [],
    });
    return { channel: ch.id, ts: msg.ts, message: messageToSlack(msg) };
  },

  'chat.postEphemeral': (ctx) => {
    const ch = postTarget(ctx);
    requireNotArchived(ch);
    requireMember(ctx, ch, { posting: true });
    const user = argString(ctx.args, 'user') ?? '';
    if (!ch.members.has(user)) throw new SlackApiError('user_not_in_channel');
    const text = messageText(ctx, ctx.allows('msg_too_long'));
    const blocks = messageBlocks(ctx);
    const atts = attachments(ctx);
    if (text === undefined && blocks === undefined && atts === undefined) throw new SlackApiError('no_text');
    const threadTs = argString(ctx.args, 'thread_ts');
    const messageTs = ctx.state.nextTs();
    ctx.state.ephemerals.push({
      channel: ch.id,
      user,
      text: text ?? '',
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      message_ts: messageTs,
      at: ctx.state.now(),
    });
    return { message_ts: messageTs };
  },

  'chat.update': (ctx) => {
    const ch = requireChannel(ctx);
    const ts = argString(ctx.args, 'ts') ?? '';
    const msg = ctx.state.findMessage(ch.id, ts);
    if (!msg) throw new SlackApiError('message_not_found');
    if (msg.user !== ctx.actor) throw new SlackApiError('cant_update_message');
    const text = messageText(ctx, ctx.allows('msg_too_long'));
    const blocks = messageBlocks(ctx);
    const atts = attachments(ctx);
    const metadata = messageMetadata(ctx);
    if (text === undefined && blocks === undefined && atts === undefined && metadata === undefined) {
      throw new SlackApiError('no_text');
    }
    if (text !== undefined) msg.text = text;
    if (blocks !== undefined) msg.blocks = blocks;
    else if (ctx.args.blocks !== undefined) delete msg.blocks;
    if (atts !== undefined) msg.attachments = atts;
    if (metadata !== undefined) msg.metadata = metadata;
    msg.edited = { user: ctx.actor, ts: ctx.state.nextTs() };
    return { channel: ch.id, ts: msg.ts, text: msg.text, message: messageToSlack(msg) };
  },

  'chat.delete': (ctx) => {
    const ch = requireChannel(ctx);
    const ts = argString(ctx.args, 'ts') ?? '';
    const list = ctx.state.messages.get(ch.id) ?? [];
    const idx = list.findIndex((m) => m.ts === ts);
    if (idx < 0) throw new SlackApiError('message_not_found');
    if (list[idx]?.user !== ctx.actor) throw new SlackApiError('cant_delete_message');
    list.splice(idx, 1);
    return { channel: ch.id, ts };
  },

  'chat.getPermalink': (ctx) => {
    const ch = requireChannel(ctx);
    const ts = argString(ctx.args, 'message_ts') ?? '';
    const msg = ctx.state.findMessage(ch.id, ts);
    if (!msg) throw new SlackApiError('message_not_found');
    return { channel: ch.id, permalink: permalink(ch.id, msg.ts, msg.thread_ts) };
  },
};
