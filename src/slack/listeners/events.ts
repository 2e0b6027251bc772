/** Events API through Bolt (a fallback: both receivers commit events to the inbox before acking, see app.ts): the timeline reaction and App Home. */
import type { App } from '@slack/bolt';
import type { ListenerDeps } from './context.js';
import { commitEnvelope } from './inbox.js';
import { exactly } from './route.js';

/** Registers the event handler, behind one Bolt listener: it only stores the event; the outbox does the rest. */
export function registerEvents(app: App, l: ListenerDeps): void {
  app.event(exactly(['reaction_added', 'app_home_opened']), async ({ body }) => {
    await commitEnvelope(l, body as Parameters<typeof commitEnvelope>[1]);
  });
}
