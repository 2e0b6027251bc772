/** Publishing to the public status page: who may, what is queued, and what a publication leaves behind. */
import { type PageIncident, type Publication, type PublicStatus, MAX_PUBLIC_MESSAGE, PUBLIC_STATUS_LABELS, mayPublish } from '../domain/statuspage.js';
import { incidentRef } from '../domain/incident.js';
import { type Deps, UserError, assertNotClosed, claimRequest, mustGet, record } from './context.js';
import type { Repos } from './ports.js';

const USAGE = '/incident statuspage <investigating|identified|monitoring|resolved> <message>';

/**
 * Queues a publication: the first one creates the page's incident, later ones update it (delivery keeps them in order).
 * Only the Communications Lead or the IC may publish, or anyone while neither role is held.
 */
export async function publishStatus(deps: Deps, incidentId: number, input: { status: PublicStatus; message: string }, by: string, requestKey?: string): Promise<Publication> {
  if (!deps.policy.statuspage) throw new UserError('No status page is connected: set STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID to publish from here.');
  const message = input.message.trim();
  if (!message) throw new UserError('Say what the status page should tell customers.', USAGE);
  if (message.length > MAX_PUBLIC_MESSAGE) throw new UserError(`That message is ${message.length} characters long; the status page takes at most ${MAX_PUBLIC_MESSAGE}.`, USAGE);
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    // A modal submitted twice (same view id) publishes once.
    await claimRequest(tx, requestKey, now);
    const incident = await mustGet(tx, incidentId);
    assertNotClosed(incident);
    const allowed = mayPublish(await tx.roles.current(incidentId), by);
    if (!allowed.ok) {
      const who = allowed.holders.map((u) => `<@${u}>`).join(' or ');
      throw new UserError(`Only the Communications Lead or the Incident Commander (${who}) may publish to the status page of ${incidentRef(incidentId)}: a public statement is theirs to make. Ask them, or post an internal update with \`/incident update\`.`);
    }
    const publication = await tx.statuspage.addPublication({ incidentId, status: input.status, message, by, at: now });
    await tx.outbox.enqueue({ kind: 'statuspage_publish', incidentId, publicationId: publication.id }, now, { key: `statuspage_publish:${publication.id}` });
    return publication;
  });
}

/** What Statuspage answered for a publication: applied with the delivery, so it is recorded exactly once. */
export async function onPublished(tx: Repos, publication: Publication, page: Omit<PageIncident, 'incidentId' | 'updatedAt'>, created: boolean, at: number): Promise<void> {
  const { incidentId } = publication;
  await tx.statuspage.setPageIncident(incidentId, page, at);
  await tx.statuspage.markPublished(publication.id, at);
  const what = created ? 'Status page incident created' : 'Status page updated';
  await record(tx, incidentId, at, 'statuspage', publication.by, `${what}: ${PUBLIC_STATUS_LABELS[publication.status]} — ${publication.message}${page.shortlink ? ` (${page.shortlink})` : ''}`);
  await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'statuspage_published', publicationId: publication.id } }, at, { key: `statuspage_notice:${publication.id}` });
}

/** Statuspage refused a publication for good: said on the timeline and in the channel, so nobody believes it is public. */
export async function onPublishRefused(tx: Repos, publication: Publication, error: string, at: number): Promise<void> {
  await record(tx, publication.incidentId, at, 'statuspage', null, `Status page refused the publication (${PUBLIC_STATUS_LABELS[publication.status]} — ${publication.message}): ${error}`);
  await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: publication.incidentId, notice: { type: 'integration_refused', target: 'statuspage', what: `the ${PUBLIC_STATUS_LABELS[publication.status]} publication`, error } }, at, { key: `statuspage_refused:${publication.id}` });
}
