import { argInt, argList, argString } from '../args.js';
import { SlackApiError, type MethodHandler } from '../method-context.js';
import { fileToSlack } from '../serialize.js';
import type { EmuChannel } from '../state.js';
import { authorFields, messageBlocks, pick, requireMember } from './common.js';

const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

/** files.getUploadURLExternal and files.completeUploadExternal handlers. */
export const fileMethods: Record<string, MethodHandler> = {
  'files.list': (ctx) => {
    const channel = argString(ctx.args, 'channel');
    const user = argString(ctx.args, 'user');
    const from = Number(argString(ctx.args, 'ts_from') ?? '0');
    const to = Number(argString(ctx.args, 'ts_to') ?? 'Infinity');
    const count = argInt(ctx.args, 'count') ?? 100;
    if (user && !ctx.state.users.has(user)) throw new SlackApiError('user_not_found');
    const files = [...ctx.state.files.values()]
      .filter((f) => f.completed && (!channel || f.channels.includes(channel)) && (!user || f.user === user) && f.created >= from && f.created <= to)
      .sort((a, b) => b.created - a.created)
      .slice(0, Math.max(1, count));
    return { files: files.map(fileToSlack), paging: { count, total: files.length, page: 1, pages: 1 } };
  },

  'files.getUploadURLExternal': (ctx) => {
    const filename = argString(ctx.args, 'filename') ?? '';
    const length = argInt(ctx.args, 'length');
    if (length === undefined || Number.isNaN(length) || length < 1) {
      throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] `length` must be a positive integer'] } });
    }
    if (length > MAX_UPLOAD_BYTES) throw new SlackApiError('file_upload_size_restricted');
    const id = ctx.state.nextId('F');
    ctx.state.files.set(id, {
      id,
      name: filename,
      title: filename,
      length,
      bytes: null,
      content: '',
      completed: false,
      channels: [],
      user: ctx.actor,
      created: Math.floor(ctx.state.now() / 1000),
    });
    return { upload_url: `${ctx.baseUrl}upload/${id}`, file_id: id };
  },

  'files.completeUploadExternal': (ctx) => {
    const raw = ctx.args.files;
    const list = Array.isArray(raw) ? (raw as unknown[]) : undefined;
    if (!list || list.length === 0) {
      throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] `files` must be a JSON array of {id, title}'] } });
    }
    const files = list.map((item) => {
      const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
      const file = typeof entry.id === 'string' ? ctx.state.files.get(entry.id) : undefined;
      if (!file || file.bytes === null || file.completed) throw new SlackApiError('file_not_found');
      return { file, title: typeof entry.title === 'string' && entry.title !== '' ? entry.title : undefined };
    });
    const channelRefs = [argString(ctx.args, 'channel_id'), ...argList(ctx.args, 'channels')].filter((c): c is string => !!c);
    const channels: EmuChannel[] = [...new Set(channelRefs)].map((ref) => {
      const ch = ctx.state.resolveChannel(ref);
      if (!ch) throw new SlackApiError('channel_not_found');
      if (ch.is_archived) throw new SlackApiError(pick(ctx, 'is_archived', 'invalid_channel'));
      requireMember(ctx, ch, { posting: true });
      return ch;
    });
    const blocks = messageBlocks(ctx);
    for (const { file, title } of files) {
      file.completed = true;
      if (title) file.title = title;
    }
    const initial = typeof ctx.args.initial_comment === 'string' ? ctx.args.initial_comment : '';
    const threadTs = argString(ctx.args, 'thread_ts');
    for (const ch of channels) {
      for (const { file } of files) file.channels.push(ch.id);
      ctx.state.addMessage({
        type: 'message',
        channel: ch.id,
        ts: ctx.state.nextTs(),
        text: initial,
        ...(blocks ? { blocks } : {}),
        ...authorFields(ctx),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        files: files.map(({ file }) => file.id),
        reactions: [],
      });
    }
    return { files: files.map(({ file }) => fileToSlack(file)) };
  },
};
