/** Delivers `pagerduty_event` effects to the Events API v2: trigger/resolve keyed by the incident's reference, so a retry after an ambiguous failure never pages twice. */
import type { PagerDutyEffect } from '../app/effects.js';
import type { OutboxItem, Repos, Store } from '../app/ports.js';
import { incidentRef } from '../domain/incident.js';
import type { Logger } from '../observability/logger.js';
import { TargetCallError } from '../outbox/failure.js';
import type { TargetHttpClient } from '../outbox/http-target.js';
import type { DeliveryResult } from '../outbox/worker.js';

/** What the deliverer needs. */
export interface PagerDutyDeliveryDeps {
  http: TargetHttpClient;
  store: Store;
  clock: () => number;
  logger: Logger;
  routingKey: string;
  eventsUrl: string;
  /** Builds a link to the incident's channel (Slack app deep link), or null when it has none yet. */
  channelUrl: (channelId: string) => string;
}

/** The Events API v2 body for an effect. */
export function eventBody(effect: PagerDutyEffect, routingKey: string, channel: { id: string; url: string } | null): Record<string, unknown> {
  const dedupKey = incidentRef(effect.incidentId);
  if (effect.action === 'resolve') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: effect.summary.slice(0, 1024),
      source: 'incident-bot',
      severity: effect.severity,
      component: dedupKey,
      custom_details: { reason: effect.reason, incident: dedupKey },
    },
    client: 'incident-bot',
    ...(channel ? { client_url: channel.url, links: [{ href: channel.url, text: `Slack channel of ${dedupKey}` }] } : {}),
  };
}

/** Builds the function the PagerDuty worker calls for each item. */
export function createPagerDutyDeliverer(d: PagerDutyDeliveryDeps): (item: OutboxItem) => Promise<DeliveryResult> {
  return async (item) => {
    const effect = item.effect;
    if (effect.kind !== 'pagerduty_event') throw new TargetCallError('pagerduty', 'enqueue', { kind: 'permanent', code: `not a PagerDuty effect: ${effect.kind}` });
    const incident = await d.store.incidents.get(effect.incidentId);
    if (!incident) return { outcome: 'done' };
    // The channel link is worth a short wait; a page is not worth more than a few seconds of it.
    if (!incident.channelId && effect.action === 'trigger' && d.clock() - item.createdAt < 5_000) {
      return { outcome: 'defer', retryInMs: 500, reason: 'waiting for the incident channel to link it' };
    }
    const channel = incident.channelId ? { id: incident.channelId, url: d.channelUrl(incident.channelId) } : null;
    const dedupKey = incidentRef(effect.incidentId);
    const now = d.clock();
    try {
      const res = await d.http.send({ operation: 'enqueue', method: 'POST', url: d.eventsUrl, body: eventBody(effect, d.routingKey, channel) });
      const key = (res.body as { dedup_key?: string } | null)?.dedup_key ?? dedupKey;
      return {
        outcome: 'done',
        apply: async (tx: Repos) => {
          await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: effect.incidentId, notice: { type: 'paged', action: effect.action, summary: effect.summary, severity: effect.severity, reason: effect.reason, dedupKey: key } }, now, { key: `paged_notice:${item.key}` });
          await tx.timeline.add({ incidentId: effect.incidentId, at: now, kind: 'page', actor: 'PagerDuty', text: effect.action === 'trigger' ? `PagerDuty accepted the page (dedup key ${key})` : `PagerDuty page resolved (dedup key ${key})` }, now);
        },
      };
    } catch (err) {
      if (!(err instanceof TargetCallError) || err.failure.kind !== 'permanent') throw err;
      // PagerDuty refused the event itself (400): retrying cannot help; the channel must know nobody was paged.
      const error = err.failure.code;
      d.logger.error({ incident: dedupKey, error }, 'pagerduty: event refused');
      return {
        outcome: 'done',
        apply: async (tx: Repos) => {
          await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: effect.incidentId, notice: { type: 'page_failed', action: effect.action, error } }, now, { key: `page_failed_notice:${item.key}` });
          await tx.timeline.add({ incidentId: effect.incidentId, at: now, kind: 'page', actor: 'PagerDuty', text: `PagerDuty refused the ${effect.action}: ${error}` }, now);
        },
      };
    }
  };
}
