/** Delivers the status page and GitHub effects of the outbox; what a delivery learns is applied in the completing transaction. */
import type { GitHubEffect, StatuspageEffect } from '../app/effects.js';

type IntegrationEffect = StatuspageEffect | GitHubEffect;
import { onIssueCreated, onIssueRefused } from '../app/follow-ups.js';
import type { OutboxItem, Repos, Store } from '../app/ports.js';
import { onPublished, onPublishRefused } from '../app/statuspage.js';
import { FOLLOW_UP_LABEL, issueBody, issueMarker, issueTitle } from '../domain/follow-up.js';
import { incidentRef } from '../domain/incident.js';
import { isOurPageIncident, pageIncidentMetadata, type Publication } from '../domain/statuspage.js';
import type { Logger } from '../observability/logger.js';
import type { DeliveryResult } from '../outbox/worker.js';
import { PermanentDeliveryError, TargetCallError } from '../outbox/failure.js';
import type { GitHubClient } from './github/client.js';
import type { StatuspageClient, StatuspageIncident } from './statuspage/client.js';

/** What the integrations deliverer needs. */
export interface IntegrationDeliveryDeps {
  store: Store;
  clock: () => number;
  logger: Logger;
  statuspage: StatuspageClient | null;
  github: GitHubClient | null;
  /** A person's name from Slack, when the people directory does not know them yet; null when unknown. */
  nameOf: (userId: string) => Promise<string | null>;
}

const done: DeliveryResult = { outcome: 'done' };
/** How long an issue waits for the people directory to learn its owner's name before asking Slack itself. */
const OWNER_NAME_WAIT_MS = 60_000;

/** Whether the page incident's latest update already says what the publication says (an earlier attempt got through). */
function carries(page: StatuspageIncident, p: Publication): boolean {
  const latest = page.incident_updates?.[0];
  return page.status === p.status && latest?.body === p.message;
}

/** Builds the deliverer for IntegrationEffect items. */
export function createIntegrationDeliverer(deps: IntegrationDeliveryDeps): (item: OutboxItem) => Promise<DeliveryResult> {
  const { store } = deps;

  async function publish(item: OutboxItem, effect: IntegrationEffect & { kind: 'statuspage_publish' }): Promise<DeliveryResult> {
    const sp = deps.statuspage;
    const publication = await store.statuspage.publication(effect.publicationId);
    const incident = await store.incidents.get(effect.incidentId);
    if (!sp || !publication || !incident || publication.publishedAt !== null) {
      if (!sp) deps.logger.warn({ incident: incidentRef(effect.incidentId) }, 'statuspage: not configured any more; dropping a queued publication');
      return done;
    }
    const ref = incidentRef(incident.id);
    const current = await store.statuspage.pageIncident(incident.id);
    let page: StatuspageIncident | undefined;
    let created = false;
    if (!current) {
      created = true;
      // After an ambiguous failure the create may have landed: look for our incident (by its metadata) before creating another.
      const found = item.attempts > 0 ? (await sp.search(incident.title)).find((i) => isOurPageIncident(i, ref)) : undefined;
      if (found) page = carries(found, publication) ? found : await sp.update(found.id, { status: publication.status, body: publication.message });
      else page = await sp.create({ name: incident.title, status: publication.status, body: publication.message, metadata: pageIncidentMetadata(ref) });
    } else {
      if (item.attempts > 0) {
        const latest = await sp.get(current.pageIncidentId);
        if (carries(latest, publication)) page = latest;
      }
      page ??= await sp.update(current.pageIncidentId, { status: publication.status, body: publication.message });
    }
    const result = { pageIncidentId: page.id, shortlink: page.shortlink ?? current?.shortlink ?? null, status: publication.status };
    const now = deps.clock();
    return { outcome: 'done', apply: (tx) => onPublished(tx, publication, result, created, now) };
  }

  async function createIssue(item: OutboxItem, effect: IntegrationEffect & { kind: 'github_issue_create' }): Promise<DeliveryResult> {
    const gh = deps.github;
    const action = await store.actions.byId(effect.actionItemId);
    if (!gh || !action || (await store.issues.byAction(action.id))) return done;
    const incident = await store.incidents.get(action.incidentId);
    if (!incident) return done;
    const marker = issueMarker(incident.id, action.seq);
    // After an ambiguous failure the issue may exist: find it by its marker before creating it again.
    let issue = item.attempts > 0 ? await gh.findByMarker(FOLLOW_UP_LABEL, marker) : null;
    if (!issue) {
      let ownerName: string | null = null;
      if (action.owner) {
        // The people directory looks the owner up through Slack right after the item is added: give it a minute.
        ownerName = (await store.people.get(action.owner))?.name ?? null;
        if (!ownerName && deps.clock() - item.createdAt < OWNER_NAME_WAIT_MS) return { outcome: 'defer', retryInMs: 1000, reason: "waiting for the owner's name from the people directory" };
        ownerName ??= await deps.nameOf(action.owner).catch(() => null);
      }
      const body = issueBody({
        incidentId: incident.id, seq: action.seq, text: action.text, title: incident.title, dueDate: action.dueDate,
        ownerName: action.owner ? (ownerName ?? `Slack user ${action.owner}`) : null,
        channelLink: incident.channelId ? `https://slack.com/app_redirect?channel=${incident.channelId}` : null,
      });
      issue = await gh.create({ title: issueTitle(action.text), body, labels: [FOLLOW_UP_LABEL] });
    }
    const linked = { number: issue.number, url: issue.html_url, state: issue.state };
    const now = deps.clock();
    return { outcome: 'done', apply: (tx) => onIssueCreated(tx, action, linked, now) };
  }

  async function setState(effect: IntegrationEffect & { kind: 'github_issue_state' }): Promise<DeliveryResult> {
    const gh = deps.github;
    const linked = await store.issues.byAction(effect.actionItemId);
    // No issue: its creation was given up on (it is in the outbox as dead); nothing to close.
    if (!gh || !linked || linked.state === effect.state) return done;
    await gh.setState(linked.number, effect.state);
    const now = deps.clock();
    return { outcome: 'done', apply: (tx) => tx.issues.setState(effect.actionItemId, effect.state, now) };
  }

  /** A refusal for good (4xx) is recorded and said instead of buried silently; anything else goes back to the worker. */
  async function orRefused(run: () => Promise<DeliveryResult>, refused: (error: string, now: number) => ((tx: Repos) => Promise<void>) | null): Promise<DeliveryResult> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof TargetCallError) || err.failure.kind !== 'permanent') throw err;
      const apply = refused(err.failure.code, deps.clock());
      deps.logger.error({ target: err.target, operation: err.operation, error: err.failure.code }, 'outbox: the target refused this delivery for good; telling the channel');
      return apply ? { outcome: 'done', apply } : done;
    }
  }

  return async function deliver(item: OutboxItem): Promise<DeliveryResult> {
    const effect = item.effect;
    switch (effect.kind) {
      case 'statuspage_publish':
        return orRefused(() => publish(item, effect), (error, now) => async (tx) => {
          const p = await tx.statuspage.publication(effect.publicationId);
          if (p) await onPublishRefused(tx, p, error, now);
        });
      case 'github_issue_create':
        return orRefused(() => createIssue(item, effect), (error, now) => async (tx) => {
          const a = await tx.actions.byId(effect.actionItemId);
          if (a) await onIssueRefused(tx, a, error, now);
        });
      case 'github_issue_state': return setState(effect);
      default: throw new PermanentDeliveryError(`not a Statuspage or GitHub effect: ${effect.kind}`);
    }
  };
}
