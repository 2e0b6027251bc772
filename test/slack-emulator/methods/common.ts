import { argString } from '../args.js';
import { checkBlocks, formatProblems, LIMITS } from '../block-kit.js';
import { SlackApiError, type MethodContext } from '../method-context.js';
import { BOT_USER_ID, type EmuChannel, type EmuMetadata } from '../state.js';

/** `preferred` when the method's contract lists it, else the generic `fallback`. */
export function pick(ctx: MethodContext, preferred: string, fallback = 'invalid_arguments'): string {
  return ctx.allows(preferred) ? preferred : fallback;
}

/** The conversation named by an argument, or `channel_not_found`. */
export function requireChannel(ctx: MethodContext, name = 'channel'): EmuChannel {
  const ref = argString(ctx.args, name);
  const ch = ref ? ctx.state.resolveChannel(ref) : undefined;
  if (!ch) throw new SlackApiError('channel_not_found');
  return ch;
}

/** Throws `is_archived` for an archived conversation. */
export function requireNotArchived(ch: EmuChannel): void {
  if (ch.is_archived) throw new SlackApiError('is_archived');
}

/** Throws `not_in_channel` unless the actor is a member (or may post publicly there). */
export function requireMember(ctx: MethodContext, ch: EmuChannel, opts: { posting?: boolean } = {}): void {
  if (ch.members.has(ctx.actor)) return;
  if (opts.posting && ch.publicPostAllowed && !ch.is_private) return;
  throw new SlackApiError('not_in_channel');
}

/** Validates the blocks argument of a message; answers `invalid_blocks` and records a violation. */
export function messageBlocks(ctx: MethodContext): unknown[] | undefined {
  const blocks = ctx.args.blocks;
  if (blocks === undefined || blocks === null || blocks === '') return undefined;
  if (!Array.isArray(blocks)) {
    ctx.violate('block_kit', 'blocks is not an array');
    throw new SlackApiError(pick(ctx, 'invalid_blocks_format', 'invalid_blocks'));
  }
  const problems = checkBlocks(blocks, 'message');
  if (problems.length > 0) {
    ctx.violate('block_kit', problems.map((p) => `${p.pointer}: ${p.message}`).join('; '), problems);
    throw new SlackApiError('invalid_blocks', { errors: problems.map((p) => `${p.message} [json-pointer:${p.pointer}]`), response_metadata: { messages: formatProblems(problems) } });
  }
  return assignBlockIds(blocks);
}

/** Gives blocks without a block_id (and elements without an action_id) generated ids, as Slack does. */
export function assignBlockIds<T>(blocks: T[]): T[] {
  let n = 0;
  const gen = (): string => `blk${(n++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return blocks.map((b) => {
    if (typeof b !== 'object' || b === null) return b;
    const copy = structuredClone(b) as Record<string, unknown>;
    if (copy.block_id === undefined) copy.block_id = gen();
    const elements = [copy.element, copy.accessory, ...(Array.isArray(copy.elements) ? copy.elements : [])];
    for (const el of elements) {
      if (typeof el !== 'object' || el === null) continue;
      const e = el as Record<string, unknown>;
      const interactive = typeof e.type === 'string' && !['plain_text', 'mrkdwn', 'image'].includes(e.type);
      if (interactive && copy.type !== 'rich_text' && e.action_id === undefined) e.action_id = gen();
    }
    return copy as T;
  });
}

/** Validates message `text` length; answers `msg_too_long` where the method lists it, else truncates as Slack does. */
export function messageText(ctx: MethodContext, canAnswerTooLong: boolean): string | undefined {
  const text = argString(ctx.args, 'text');
  if (text === undefined || text.length <= LIMITS.messageText) return text;
  ctx.violate('limit', `text is ${text.length} characters (limit ${LIMITS.messageText})`);
  if (canAnswerTooLong) throw new SlackApiError('msg_too_long');
  return text.slice(0, LIMITS.messageText);
}

/** Parses the `metadata` argument ({event_type, event_payload}); answers `invalid_metadata_format`. */
export function messageMetadata(ctx: MethodContext): EmuMetadata | undefined {
  const m = ctx.args.metadata;
  if (m === undefined || m === null || m === '') return undefined;
  if (typeof m !== 'object' || Array.isArray(m)) throw new SlackApiError('invalid_metadata_format');
  const { event_type, event_payload } = m as Record<string, unknown>;
  if (typeof event_type !== 'string' || !/^[A-Za-z0-9_]+$/.test(event_type)) throw new SlackApiError('invalid_metadata_format');
  if (typeof event_payload !== 'object' || event_payload === null || Array.isArray(event_payload)) {
    throw new SlackApiError('invalid_metadata_format');
  }
  if (JSON.stringify(m).length > 8000) throw new SlackApiError('metadata_too_large');
  return { event_type, event_payload: event_payload as Record<string, unknown> };
}

/** The author fields of a message posted by the actor. */
export function authorFields(ctx: MethodContext): { user: string; bot_id?: string; app_id?: string } {
  return ctx.actor === BOT_USER_ID ? { user: BOT_USER_ID, bot_id: 'B0BOT', app_id: 'A0APP' } : { user: ctx.actor };
}

/** Cursor pagination over a list (`cursor` is an opaque base64 offset); answers `invalid_cursor`/`invalid_limit`. */
export function paginate<T>(ctx: MethodContext, items: readonly T[], defaultLimit = 100, maxLimit = 1000): { page: T[]; next_cursor: string } {
  const rawLimit = ctx.args.limit;
  let limit = defaultLimit;
  if (rawLimit !== undefined && rawLimit !== '') {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 0) throw new SlackApiError(pick(ctx, 'invalid_limit'));
    if (limit === 0) limit = defaultLimit;
    limit = Math.min(limit, maxLimit);
  }
  let offset = 0;
  const cursor = argString(ctx.args, 'cursor');
  if (cursor) {
    const decoded = /^off:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!decoded?.[1]) throw new SlackApiError(pick(ctx, 'invalid_cursor'));
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(`off:${offset + limit}`).toString('base64') : '';
  return { page, next_cursor: next };
}
