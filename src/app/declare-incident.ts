/** Declaring an incident: one durable commit, then Slack work through the outbox. */
import { firstDue } from '../domain/cadence.js';
import type { Incident, Severity } from '../domain/incident.js';
import { incidentRef } from '../domain/incident.js';
import { type Deps, type Policy, UserError, mustGet, record } from './context.js';
import { pageIfDue } from './paging.js';

const isSlackUser = (id: string) => /^[UW][A-Z0-9]+$/.test(id);
import type { Repos } from './ports.js';

/** The same person declaring the same title within this window is asked first whether it is the same incident. */
export const NEAR_DUPLICATE_MS = 5 * 60_000;

/** What a declaration needs. */
export interface DeclareInput {
  title: string;
  severity: Severity;
  summary: string;
  services: string[];
  userId: string;
  /** Identifies the request (trigger id, view id): the same key never declares twice. */
  requestKey: string;
  responseUrl: string | null;
  /** Set (typed commands): an open incident with the same title declared by the same person moments ago is returned instead of declaring. */
  guardNearDuplicate?: boolean;
}

/** The declared incident, and whether this request had already declared it; or the near-duplicate that stopped it. */
export type DeclareResult =
  | { incident: Incident; duplicate: boolean; nearDuplicate?: undefined }
  | { nearDuplicate: { incident: Incident; agoMs: number; anywayKey: string }; incident?: undefined; duplicate?: undefined };

const sameTitle = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

/** Declares an incident once per request key; channel creation and announcements follow through the outbox. */
export async function declareIncident(deps: Deps, input: DeclareInput): Promise<DeclareResult> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const seen = (await tx.requests.get(`declare:${input.requestKey}`)) as { incidentId: number } | undefined;
    if (seen) {
      const existing = await tx.incidents.get(seen.incidentId);
      if (existing) return { incident: existing, duplicate: true };
    }
    if (input.guardNearDuplicate) {
      const twin = (await tx.incidents.listOpen()).filter((i) => i.declaredBy === input.userId && sameTitle(i.title, input.title) && now - i.declaredAt < NEAR_DUPLICATE_MS).pop();
      if (twin) {
        // What "declare anyway" needs is kept under a key the button carries (button values are too small for long titles).
        const anywayKey = `declare_anyway:${input.requestKey}`;
        await tx.requests.put(anywayKey, { title: input.title, severity: input.severity, summary: input.summary, services: input.services }, now);
        return { nearDuplicate: { incident: twin, agoMs: now - twin.declaredAt, anywayKey } };
      }
    }
    const incident = await declareIn(tx, deps.policy, input, now);
    await tx.requests.put(`declare:${input.requestKey}`, { incidentId: incident.id, responseUrl: input.responseUrl }, now);
    return { incident, duplicate: false };
  });
}

/** The declaration itself, inside the caller's transaction (alert hooks declare and link their alerts in one commit). */
export async function declareIn(tx: Repos, policy: Policy, input: Omit<DeclareInput, 'requestKey'>, now: number, options: { fromPagerDuty?: boolean } = {}): Promise<Incident> {
  const dueAt = firstDue(policy.cadence, input.severity, now);
  const incident = await tx.incidents.create({
    title: input.title, severity: input.severity, summary: input.summary, services: input.services,
    declaredBy: input.userId, declaredAt: now, nextUpdateDueAt: dueAt,
  });
  await record(tx, incident.id, now, 'declared', input.userId, `${incidentRef(incident.id)} declared as ${input.severity}: ${input.title}`);
  if (dueAt !== null) await tx.reminders.schedule(incident.id, 'update', dueAt);
  await tx.outbox.enqueue({ kind: 'create_channel', incidentId: incident.id, replyTo: { userId: input.userId, responseUrl: input.responseUrl } }, now, { key: `create_channel:${incident.id}` });
  await pageIfDue(tx, policy, incident, now, `declared as ${incident.severity}`, input.userId, options);
  return incident;
}

/** Slack work that can start once the incident's channel exists; all independent, so delivered concurrently. */
export async function onChannelCreated(tx: Repos, incident: Incident, at: number, hasAnnounceChannel: boolean, replyTo: { userId: string; responseUrl: string | null }): Promise<void> {
  const id = incident.id;
  // The invite and the link share a lane, in this order: the link never reaches the declarer before they are in the channel.
  // An alert source (Alertmanager, Grafana, PagerDuty) declares as itself: nobody to invite or reply to.
  if (isSlackUser(incident.declaredBy)) {
    await tx.outbox.enqueue({ kind: 'invite', incidentId: id, userIds: [incident.declaredBy] }, at, { key: `invite_declarer:${id}` });
    await tx.outbox.enqueue({ kind: 'declared_reply', incidentId: id, ...replyTo }, at, { key: `declared_reply:${id}` });
  }
  await tx.outbox.enqueue({ kind: 'post_summary', incidentId: id }, at, { key: `post_summary:${id}` });
  await tx.outbox.enqueue({ kind: 'set_topic', incidentId: id }, at, { key: `topic:${id}:${at}` });
  if (hasAnnounceChannel) await tx.outbox.enqueue({ kind: 'announce', incidentId: id, announcement: { type: 'declared' } }, at, { key: `announce_declared:${id}` });
}
/** Slack refused to create the channel (not a taken name): mark the incident and tell the declarer, who may retry or cancel. */
export async function onChannelRefused(tx: Repos, incident: Incident, code: string, replyTo: { userId: string; responseUrl: string | null }, at: number): Promise<void> {
  await tx.incidents.update(incident.id, { channelError: code }, at);
  await record(tx, incident.id, at, 'status', null, `Slack refused to create the incident channel (${code})`);
  await tx.outbox.enqueue({ kind: 'channel_refused', incidentId: incident.id, ...replyTo }, at, { key: `channel_refused:${incident.id}:${at}` });
}

/** Tries again to create the channel Slack refused; the link (or the refusal) goes to whoever retried. */
export async function retryChannel(deps: Deps, incidentId: number, by: string, responseUrl: string | null): Promise<Incident> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const incident = await mustGet(tx, incidentId);
    if (incident.channelId) throw new UserError(`${incidentRef(incidentId)} already has its channel: <#${incident.channelId}>.`);
    if (!incident.channelError) throw new UserError(`${incidentRef(incidentId)}'s channel is already being created.`);
    if (incident.status === 'closed') throw new UserError(`${incidentRef(incidentId)} was cancelled.`);
    await tx.incidents.update(incidentId, { channelError: null }, now);
    await record(tx, incidentId, now, 'status', by, 'Retrying to create the incident channel');
    await tx.outbox.enqueue({ kind: 'create_channel', incidentId, replyTo: { userId: by, responseUrl } }, now, { key: `create_channel:${incidentId}:${now}` });
    return { ...incident, channelError: null };
  });
}

/** Cancels an incident whose channel Slack refused: it leaves the open list; nothing more is sent about it. */
export async function cancelIncident(deps: Deps, incidentId: number, by: string): Promise<Incident> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const incident = await mustGet(tx, incidentId);
    if (incident.channelId) throw new UserError(`${incidentRef(incidentId)} has its channel (<#${incident.channelId}>); resolve it there instead.`);
    if (incident.status === 'closed') return incident;
    const resolution = 'Cancelled: Slack refused to create its channel';
    await tx.incidents.update(incidentId, { status: 'closed', resolvedAt: incident.resolvedAt ?? now, closedAt: now, resolution, nextUpdateDueAt: null }, now);
    await tx.reminders.cancelAll(incidentId);
    await record(tx, incidentId, now, 'closed', by, resolution);
    return { ...incident, status: 'closed' };
  });
}
