/** What every use case receives, and the small steps they share. */
import type { Cadence } from '../domain/cadence.js';
import type { Incident, Severity, TimelineKind } from '../domain/incident.js';
import { notePeople } from './people.js';
import type { Clock, Repos, Store } from './ports.js';
import { incidentRef } from '../domain/incident.js';

/** Product settings the use cases need (a subset of the configuration). */
export interface Policy {
  cadence: Cadence;
  escalateAfterMissed: number;
  postmortemDueMs: number | null;
  hasAnnounceChannel: boolean;
  /** STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID are set: `/incident statuspage` publishes. */
  statuspage?: boolean;
  /** GITHUB_TOKEN and GITHUB_REPOSITORY are set: every action item is also a GitHub issue. */
  github?: boolean;
  /** Paging through PagerDuty; absent or disabled: nothing pages. */
  paging?: PagingPolicy;
}

/** When incidents page. */
export interface PagingPolicy {
  enabled: boolean;
  /** Declaring at or raising to one of these pages. */
  severities: Severity[];
}

/** Dependencies of the use cases. */
export interface Deps {
  store: Store;
  clock: Clock;
  policy: Policy;
}

/** A refusal the user should read: what was wrong and, where it helps, the right form. */
export class UserError extends Error {
  /** `field`: the use case input the refusal is about (`dueDate`…), so a form can show it on that input. */
  constructor(message: string, readonly usage?: string, readonly field?: string) {
    super(message);
  }
}

/**
 * The store could not get the database's write lock in time (another process holds it). Nothing was written; the person
 * is told to try again. A UserError, so every surface that shows refusals shows this one too.
 */
export class StoreBusyError extends UserError {
  constructor() {
    super('The incident database is busy right now (another process is writing to it), so nothing was changed. Please try again in a moment.');
  }
}

/** The database cannot be reached (PostgreSQL down or unreachable): nothing was changed, and the caller is told so. */
export class StoreUnavailableError extends UserError {
  constructor() {
    super('The incident database cannot be reached right now, so nothing was changed. Please try again in a moment.');
  }
}

/** The request (a modal submission) was already carried out: a repeat changes nothing and is answered as a success. */
export class AlreadyHandled extends Error {
  constructor(readonly requestKey: string) {
    super(`request ${requestKey} was already handled`);
  }
}

/** Claims `requestKey` inside the use case's transaction: the first time it passes, a repeat throws AlreadyHandled (rolling nothing in). */
export async function claimRequest(tx: Repos, requestKey: string | undefined, at: number): Promise<void> {
  if (!requestKey) return;
  if ((await tx.requests.get(requestKey)) !== undefined) throw new AlreadyHandled(requestKey);
  await tx.requests.put(requestKey, true, at);
}


/**
 * Loads an incident or refuses with a clear message. `shared`: the transaction will not change the incident's row (it
 * only adds to the incident), so it need not wait for others that don't either (IncidentRepo.getShared).
 */
export async function mustGet(tx: Repos, incidentId: number, lock: 'exclusive' | 'shared' = 'exclusive'): Promise<Incident> {
  const incident = await (lock === 'shared' ? tx.incidents.getShared(incidentId) : tx.incidents.get(incidentId));
  if (!incident) throw new UserError(`Incident ${incidentRef(incidentId)} does not exist.`);
  return incident;
}

/** Refuses changes to a closed incident. */
export function assertNotClosed(incident: Incident): void {
  if (incident.status === 'closed') throw new UserError(`${incidentRef(incident.id)} is closed; it can no longer change.`);
}

/** Records a bot event on the timeline, notes the people in it for the directory, and queues a refresh of the pinned summary. */
export async function record(tx: Repos, incidentId: number, at: number, kind: TimelineKind, actor: string | null, text: string): Promise<void> {
  await tx.timeline.add({ incidentId, at, kind, actor, text }, at);
  await notePeople(tx, [actor], at, text);
  await refreshSummary(tx, incidentId, at);
}

/** Queues one (coalesced) update of the pinned summary message. */
export async function refreshSummary(tx: Repos, incidentId: number, at: number): Promise<void> {
  await tx.outbox.enqueue({ kind: 'refresh_summary', incidentId }, at, { coalesceKey: `summary:${incidentId}` });
}
