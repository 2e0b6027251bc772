import { argString } from '../args.js';
import { SlackApiError, type MethodHandler } from '../method-context.js';
import { messageToSlack } from '../serialize.js';
import { requireChannel, requireMember, requireNotArchived } from './common.js';

/** pins.* and reactions.* handlers. */
export const pinAndReactionMethods: Record<string, MethodHandler> = {
  'pins.add': (ctx) => {
    const ch = requireChannel(ctx);
    requireMember(ctx, ch);
    const ts = argString(ctx.args, 'timestamp');
    if (!ts) throw new SlackApiError('no_item_specified');
    if (!/^\d+\.\d+$/.test(ts)) throw new SlackApiError('bad_timestamp');
    if (!ctx.state.findMessage(ch.id, ts)) throw new SlackApiError('message_not_found');
    const pins = ctx.state.pins.get(ch.id) ?? [];
    if (pins.some((p) => p.ts === ts)) throw new SlackApiError('already_pinned');
    if (pins.length >= 100) throw new SlackApiError('too_many_pins');
    pins.push({ ts, created: Math.floor(ctx.state.now() / 1000), created_by: ctx.actor });
    ctx.state.pins.set(ch.id, pins);
    return {};
  },

  'pins.remove': (ctx) => {
    const ch = requireChannel(ctx);
    const ts = argString(ctx.args, 'timestamp');
    if (!ts) throw new SlackApiError('no_item_specified');
    const pins = ctx.state.pins.get(ch.id) ?? [];
    const idx = pins.findIndex((p) => p.ts === ts);
    if (idx < 0) throw new SlackApiError('not_pinned');
    pins.splice(idx, 1);
    return {};
  },

  'pins.list': (ctx) => {
    const ch = requireChannel(ctx);
    const items = (ctx.state.pins.get(ch.id) ?? []).flatMap((p) => {
      const msg = ctx.state.findMessage(ch.id, p.ts);
      return msg ? [{ type: 'message', channel: ch.id, created: p.created, created_by: p.created_by, message: messageToSlack(msg) }] : [];
    });
    return { items };
  },

  'reactions.add': (ctx) => {
    const ch = requireChannel(ctx);
    requireNotArchived(ch);
    const ts = argString(ctx.args, 'timestamp') ?? '';
    if (!/^\d+\.\d+$/.test(ts)) throw new SlackApiError('bad_timestamp');
    const msg = ctx.state.findMessage(ch.id, ts);
    if (!msg) throw new SlackApiError('message_not_found');
    const name = argString(ctx.args, 'name') ?? '';
    if (!/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(name)) throw new SlackApiError('invalid_name');
    let reaction = msg.reactions.find((r) => r.name === name);
    if (reaction?.users.includes(ctx.actor)) throw new SlackApiError('already_reacted');
    if (!reaction) {
      if (msg.reactions.length >= 50) throw new SlackApiError('too_many_emoji');
      reaction = { name, users: [], count: 0 };
      msg.reactions.push(reaction);
    }
    reaction.users.push(ctx.actor);
    reaction.count++;
    return {};
  },

  'reactions.remove': (ctx) => {
    const ch = requireChannel(ctx);
    const ts = argString(ctx.args, 'timestamp') ?? '';
    const msg = ctx.state.findMessage(ch.id, ts);
    if (!msg) throw new SlackApiError('message_not_found');
    const name = argString(ctx.args, 'name') ?? '';
    const reaction = msg.reactions.find((r) => r.name === name);
    if (!reaction?.users.includes(ctx.actor)) throw new SlackApiError('no_reaction');
    reaction.users = reaction.users.filter((u) => u !== ctx.actor);
    reaction.count--;
    if (reaction.count === 0) msg.reactions = msg.reactions.filter((r) => r !== reaction);
    return {};
  },
};
