/**
 * One Bolt listener per kind of request, routing on its id inside: Bolt runs every registered listener's matcher
 * middleware on every request, so registering a listener per button or modal made each slash command pay for all of them.
 */

/** A RegExp that matches exactly one of `ids`, for Bolt's matcher: anything else stays unhandled, as before. */
export function exactly(ids: Iterable<string>): RegExp {
  const alternatives = [...ids].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

