/** The people directory: who appears in an incident is looked up through the outbox (users.info) and kept, so output outside Slack names people even while Slack is down. */
import { isStale, isUserId, mentionedUsers } from '../domain/person.js';
import type { Repos, Store } from './ports.js';

/** Queues a lookup for each of `userIds` (and each user mentioned in `text`) that is unknown or stale; at most one per person per day. */
export async function notePeople(tx: Repos, userIds: readonly (string | null | undefined)[], now: number, text?: string): Promise<void> {
  const ids = new Set<string>();
  for (const id of userIds) if (id && isUserId(id)) ids.add(id);
  if (text) for (const id of mentionedUsers(text)) ids.add(id);
  for (const userId of ids) {
    if (!isStale(await tx.people.get(userId), now)) continue;
    // The day in the key makes repeated mentions collapse into one lookup, and a stale entry get a fresh one.
    await tx.outbox.enqueue({ kind: 'lookup_person', userId }, now, { key: `lookup_person:${userId}:${Math.floor(now / 86_400_000)}` });
  }
}

/** Stored names of `userIds`, for rendering outside Slack; unknown people are left out. */
export async function namesOf(store: Pick<Store, 'people'>, userIds: Iterable<string>): Promise<Record<string, string>> {
  const people = await store.people.many([...new Set(userIds)]);
  return Object.fromEntries(people.map((p) => [p.userId, p.name]));
}
