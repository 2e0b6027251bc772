/** Declaring an incident: one durable commit, then Slack work through the outbox. */
import { firstDue } from '../domain/cadence.js';
import type { Incident, Severity } from '../domain/incident.js';
import { incidentRef } from '../domain/incident.js';
import { type Deps, record } from './context.js';
import type { Repos } from './ports.js';

/** How long the command listener may wait for the channel before the outbox sends the link instead. */
export const DECLARED_REPLY_GRACE_MS = 2500;

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
}

/** The declared incident, and whether this request had already declared it. */
export interface DeclareResult {
  incident: Incident;
  duplicate: boolean;
}

/** Declares an incident once per request key; channel creation and announcements follow through the outbox. */
export async function declareIncident(deps: Deps, input: DeclareInput): Promise<DeclareResult> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const seen = (await tx.requests.get(`declare:${input.requestKey}`)) as { incidentId: number } | undefined;
    if (seen) {
      const existing = await tx.incidents.get(seen.incidentId);
      if (existing) return { incident: existing, duplicate: true };
    }
    const dueAt = firstDue(deps.policy.cadence, input.severity, now);
    const incident = await tx.incidents.create({
      title: input.title, severity: input.severity, summary: input.summary, services: input.services,
      declaredBy: input.userId, declaredAt: now, nextUpdateDueAt: dueAt,
    });
    await record(tx, incident.id, now, 'declared', input.userId, `${incidentRef(incident.id)} declared as ${input.severity}: ${input.title}`);
    if (dueAt !== null) await tx.reminders.schedule(incident.id, 'update', dueAt);
    await tx.outbox.enqueue({ kind: 'create_channel', incidentId: incident.id, replyTo: { userId: input.userId, responseUrl: input.responseUrl } }, now, { key: `create_channel:${incident.id}` });
    await tx.requests.put(`declare:${input.requestKey}`, { incidentId: incident.id, responseUrl: input.responseUrl }, now);
    return { incident, duplicate: false };
  });
}

/** Slack work that can start once the incident's channel exists; all independent, so delivered concurrently. */
export async function onChannelCreated(tx: Repos, incident: Incident, at: number, hasAnnounceChannel: boolean, replyTo: { userId: string; responseUrl: string | null }): Promise<void> {
  const id = incident.id;
  // The slash-command reply may already carry the link; the grace period lets that reply claim it first.
  await tx.outbox.enqueue({ kind: 'declared_reply', incidentId: id, ...replyTo }, at, { key: `declared_reply:${id}`, notBefore: at + DECLARED_REPLY_GRACE_MS });
  await tx.outbox.enqueue({ kind: 'post_summary', incidentId: id }, at, { key: `post_summary:${id}` });
  await tx.outbox.enqueue({ kind: 'invite', incidentId: id, userIds: [incident.declaredBy] }, at, { key: `invite_declarer:${id}` });
  await tx.outbox.enqueue({ kind: 'set_topic', incidentId: id }, at, { key: `topic:${id}:${at}` });
  if (hasAnnounceChannel) await tx.outbox.enqueue({ kind: 'announce', incidentId: id, announcement: { type: 'declared' } }, at, { key: `announce_declared:${id}` });
}
