/**
 * One Bolt listener per kind of request, routing on its id inside: Bolt runs every registered listener's matcher
 * middleware on every request, so registering a listener per button or modal made each slash command pay for all of them.
 */

/** A handler of one id (action_id, callback_id or event type). */
export type Handler<A> = (args: A) => Promise<void>;

/** A RegExp that matches exactly one of `ids`, for Bolt's matcher: anything else stays unhandled, as before. */
export function exactly(ids: Iterable<string>): RegExp {
  const alternatives = [...ids].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

/** The pattern to register and the listener that hands each request to the handler of its id. */
export function route<A>(handlers: Record<string, Handler<A>>, idOf: (args: A) => string): { pattern: RegExp; listener: Handler<A> } {
  const byId = new Map(Object.entries(handlers));
  return {
    pattern: exactly(byId.keys()),
    listener: async (args) => {
      await byId.get(idOf(args))?.(args);
    },
  };
}
