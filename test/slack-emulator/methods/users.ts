import { argString } from '../args.js';
import { SlackApiError, type MethodHandler } from '../method-context.js';
import { userToSlack } from '../serialize.js';
import { BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID } from '../state.js';
import { paginate } from './common.js';

/** auth.test and users.* handlers. */
export const userMethods: Record<string, MethodHandler> = {
  'auth.test': (ctx) => {
    const user = ctx.state.users.get(ctx.actor);
    return {
      url: `https://${TEAM_DOMAIN}.slack.test/`,
      team: 'Emulator',
      user: user?.name ?? ctx.actor,
      team_id: TEAM_ID,
      user_id: ctx.actor,
      ...(ctx.actor === BOT_USER_ID ? { bot_id: BOT_ID } : {}),
      is_enterprise_install: false,
    };
  },

  'users.info': (ctx) => {
    const user = ctx.state.users.get(argString(ctx.args, 'user') ?? '');
    if (!user) throw new SlackApiError('user_not_found');
    return { user: userToSlack(user) };
  },

  'users.list': (ctx) => {
    const { page, next_cursor } = paginate(ctx, [...ctx.state.users.values()], 200, 1000);
    return { members: page.map(userToSlack), cache_ts: Math.floor(ctx.state.now() / 1000), response_metadata: { next_cursor } };
  },
};
