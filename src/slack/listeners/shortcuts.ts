/** Message shortcuts: a generic adapter over the action registry, behind one Bolt listener. */
import type { App, MessageShortcut } from '@slack/bolt';
import type { ShortcutArgs } from '../actions/action.js';
import { SHORTCUTS } from '../actions/registry.js';
import type { ListenerDeps } from './context.js';
import { exactly } from './route.js';

/** Registers every message shortcut of the registry. */
export function registerShortcuts(app: App, l: ListenerDeps): void {
  app.shortcut<MessageShortcut>(exactly(SHORTCUTS.keys()), async (args: ShortcutArgs) => {
    await SHORTCUTS.get(args.shortcut.callback_id)?.(args, l);
  });
}
