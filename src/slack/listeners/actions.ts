/** Buttons (pinned summary, App Home, replies): a generic adapter over the action registry, behind one Bolt listener. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { ButtonArgs } from '../actions/action.js';
import { BUTTONS } from '../actions/registry.js';
import type { ListenerDeps } from './context.js';
import { exactly } from './route.js';

/** Registers every button of the registry. */
export function registerActions(app: App, l: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(exactly(BUTTONS.keys()), async (args: ButtonArgs) => {
    await BUTTONS.get(args.action.action_id)?.(args, l);
  });
}
