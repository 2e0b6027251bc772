/** Pages out through PagerDuty (Events API v2 via the outbox): on declaring at or raising to a paged severity, on `/incident page`, and the resolve that ends a page. */
import { PAGE_SEVERITY } from '../domain/alerts.js';
import { type Incident, incidentRef } from '../domain/incident.js';
import { type Deps, type Policy, UserError, assertNotClosed, mustGet, record } from './context.js';
import type { Repos } from './ports.js';

/** Whether the incident came from PagerDuty (it is never paged back). */
async function fromPagerDuty(tx: Repos, incidentId: number): Promise<boolean> {
  return tx.alerts.incidentHasSource(incidentId, 'pagerduty');
}

/** Queues a trigger keyed by the incident's reference; `key` names the intent so one intent never pages twice. */
async function trigger(tx: Repos, incident: Incident, at: number, reason: string, by: string | null, key: string, message?: string): Promise<void> {
  const ref = incidentRef(incident.id);
  const summary = `${ref} ${incident.severity}: ${incident.title}${message ? ` — ${message}` : ''}`.slice(0, 1024);
  await tx.pages.triggered(incident.id, at);
  await tx.outbox.enqueue({ kind: 'pagerduty_event', incidentId: incident.id, action: 'trigger', summary, severity: PAGE_SEVERITY[incident.severity], reason }, at, { key });
  await record(tx, incident.id, at, 'page', by, `Paging through PagerDuty (${reason}): ${summary}`);
}

/** Pages when the incident's severity is one that pages and no page is open yet; nothing for incidents from PagerDuty. */
export async function pageIfDue(tx: Repos, policy: Policy, incident: Incident, at: number, reason: string, by: string | null, options: { fromPagerDuty?: boolean } = {}): Promise<void> {
  const paging = policy.paging;
  if (!paging?.enabled || !paging.severities.includes(incident.severity)) return;
  if (options.fromPagerDuty || (await fromPagerDuty(tx, incident.id))) return;
  const page = await tx.pages.get(incident.id);
  if (page && page.resolvedAt === null) return; // already paging: PagerDuty is on it
  await trigger(tx, incident, at, reason, by, `page:${incident.id}:${reason}:${at}`);
}

/** On resolution: ends an open page with a `resolve` on the same dedup key. */
export async function resolvePage(tx: Repos, policy: Policy, incidentId: number, at: number, by: string | null): Promise<void> {
  if (!policy.paging?.enabled) return;
  const page = await tx.pages.get(incidentId);
  if (!page || page.resolvedAt !== null) return;
  await tx.pages.resolved(incidentId, at);
  await tx.outbox.enqueue({ kind: 'pagerduty_event', incidentId, action: 'resolve', summary: '', severity: 'info', reason: 'resolved' }, at, { key: `page_resolve:${incidentId}:${page.triggeredAt}` });
  await record(tx, incidentId, at, 'page', by, 'Resolving the PagerDuty page');
}

/** `/incident page [message]`: pages now, whatever the severity; once per request key. */
export async function pageNow(deps: Deps, incidentId: number, message: string | null, by: string, requestKey: string): Promise<{ incident: Incident }> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const incident = await mustGet(tx, incidentId);
    assertNotClosed(incident);
    if (!deps.policy.paging?.enabled) throw new UserError('Paging is not set up: the operator sets PAGERDUTY_ROUTING_KEY (an Events API v2 integration key) to page through PagerDuty.', '/incident page [message]');
    if (await fromPagerDuty(tx, incidentId)) throw new UserError(`${incidentRef(incidentId)} came from PagerDuty, which is already paging for it; it is not paged back.`, '/incident page [message]');
    if (await tx.requests.get(`page:${requestKey}`) !== undefined) return { incident };
    await tx.requests.put(`page:${requestKey}`, { incidentId }, now);
    await trigger(tx, incident, now, `paged by ${by}`, by, `page:${incidentId}:manual:${requestKey}`, message?.trim() || undefined);
    return { incident };
  });
}
