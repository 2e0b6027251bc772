/** What happens when Slack tells us about a person: store them, and re-plan what depends on their time zone. */
import type { Person } from '../domain/person.js';
import { replanActionReminders } from './action-items.js';
import type { Repos } from './ports.js';

/** Stores a fetched person and re-plans their pending action reminders, in the delivery's completing transaction. */
export async function onPersonFetched(tx: Repos, person: Person, now: number): Promise<void> {
  await tx.people.put(person);
  await replanActionReminders(tx, person);
}
