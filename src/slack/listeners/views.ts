/** Modal submissions: a generic adapter over the action registry, behind one Bolt listener. Refusals go back onto the form (refusals.ts). */
import type { App, ViewSubmitAction } from '@slack/bolt';
import type { SubmitArgs } from '../actions/action.js';
import { VIEWS } from '../actions/registry.js';
import type { ListenerDeps } from './context.js';
import { exactly } from './route.js';

/** Registers every form of the registry. */
export function registerViews(app: App, l: ListenerDeps): void {
  // A RegExp callback id keeps Bolt's view_submission-only constraint, as a string one did.
  app.view<ViewSubmitAction>(exactly(VIEWS.keys()), async (args: SubmitArgs) => {
    await VIEWS.get(args.view.callback_id)?.(args, l);
  });
}
