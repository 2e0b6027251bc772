/** Gathering what the bot recorded into the postmortem draft, for Slack and for the CLI. */
import { findRelated, renderPostmortem, type PostmortemInput } from '../domain/postmortem/index.js';
import { type Deps, UserError, mustGet, record } from './context.js';
import { mentionedUsers } from '../domain/person.js';
import { namesOf } from './people.js';
import type { Store } from './ports.js';
import { incidentRef } from '../domain/incident.js';

/** Collects everything the renderer needs about one incident from the store alone. */
export async function postmortemInput(store: Store, incidentId: number, now: number): Promise<PostmortemInput> {
  const incident = await store.incidents.get(incidentId);
  if (!incident) throw new UserError(`Incident ${incidentRef(incidentId)} does not exist.`);
  const [roles, timeline, updates, actions, severityChanges, earlier, issues] = await Promise.all([
    store.roles.history(incidentId), store.timeline.list(incidentId), store.updates.list(incidentId),
    store.actions.list(incidentId), store.severity.list(incidentId), store.incidents.earlier(incident.declaredAt, 500),
    store.issues.forIncident(incidentId),
  ]);
  const participants = [...new Set([incident.declaredBy, ...roles.map((r) => r.userId), ...timeline.map((e) => e.actor).filter((a): a is string => !!a), ...updates.map((u) => u.author)])];
  const related = findRelated(incident, earlier.filter((i) => i.id !== incidentId));
  // Everyone the draft may name, mentions in text included; names come from the people directory (no Slack needed).
  const texts = [incident.title, incident.summary, incident.resolution ?? '', ...timeline.map((e) => e.text), ...updates.map((u) => u.text), ...actions.map((a) => a.text)];
  const ids = [...participants, ...roles.map((r) => r.assignedBy), ...actions.flatMap((a) => [a.owner, a.createdBy]), ...severityChanges.map((c) => c.by), ...texts.flatMap(mentionedUsers)];
  const issueUrls = Object.fromEntries(issues.map((i) => [i.actionItemId, i.url]));
  const userNames = await namesOf(store, ids.filter((id): id is string => !!id));
  return { incident, roles, timeline, updates, actions, severityChanges, participants, related, userNames, issueUrls, generatedAt: now };
}

/** Renders the draft as Markdown from the database alone (no Slack needed). */
export async function renderDraft(store: Store, incidentId: number, now: number): Promise<string> {
  return renderPostmortem(await postmortemInput(store, incidentId, now));
}

/** Records that a draft was produced (stops the postmortem reminder) and queues its upload to the channel. */
export async function requestPostmortem(deps: Deps, incidentId: number, by: string): Promise<void> {
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    const incident = await mustGet(tx, incidentId);
    if (incident.postmortemAt === null) await tx.incidents.update(incidentId, { postmortemAt: now }, now);
    await tx.reminders.cancel(incidentId, 'postmortem');
    await record(tx, incidentId, now, 'postmortem', by, 'Postmortem draft generated');
    await tx.outbox.enqueue({ kind: 'upload_postmortem', incidentId, userId: by }, now);
  });
}
