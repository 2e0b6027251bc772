/** Adding to the timeline: typed entries and Slack messages (each message once). */
import { type Deps, assertNotClosed, mustGet } from './context.js';
import type { Repos } from './ports.js';
import { notePeople } from './people.js';

/** Adds a typed `/incident log` entry stamped now. */
export async function logEntry(deps: Deps, incidentId: number, text: string, by: string): Promise<number> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    // Appends only: many entries on one incident go in together (a busy incident channel), a close still waits for them.
    assertNotClosed(await mustGet(tx, incidentId, 'shared'));
    const id = (await tx.timeline.add({ incidentId, at: now, kind: 'log', actor: by, text }, now))!;
    await notePeople(tx, [by], now, text);
    return id;
  });
}

/** A Slack message to put on the timeline. */
export interface MessageRef {
  ts: string;
  author: string | null;
  text: string;
  permalink: string | null;
}

/** Adds a Slack message at its original time; false when it was already on the timeline. */
export async function addMessage(deps: Deps, incidentId: number, message: MessageRef, addedBy: string): Promise<boolean> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    assertNotClosed(await mustGet(tx, incidentId, 'shared'));
    return addMessageIn(tx, incidentId, message, addedBy, now);
  });
}

/** The same inside a caller's transaction (the outbox applies looked-up messages this way); the caller checks the incident. */
export async function addMessageIn(tx: Repos, incidentId: number, message: MessageRef, addedBy: string, now: number): Promise<boolean> {
  const at = Math.round(Number(message.ts) * 1000);
  const id = await tx.timeline.add({
    incidentId, at: Number.isFinite(at) && at > 0 ? at : now, kind: 'message', actor: message.author ?? addedBy,
    text: message.text, sourceTs: message.ts, permalink: message.permalink,
  }, now);
  if (id !== null) await notePeople(tx, [message.author ?? addedBy, addedBy], now, message.text);
  return id !== null;
}
