/** Action items kept in step with GitHub issues: queue the issue's creation and state, apply what GitHub tells us back. */
import { type IssuesEvent, type LinkedIssue, parseIssueMarker } from '../domain/follow-up.js';
import { type ActionItem, actionRef, incidentRef } from '../domain/incident.js';
import { nextActionReminder } from '../domain/action-schedule.js';
import { remindee, zoneOf } from './action-items.js';
import { type Deps, record } from './context.js';
import type { Repos } from './ports.js';

/** Queues the one GitHub issue of a new action item (the key makes a second queueing impossible). */
export async function trackOnGitHub(tx: Repos, item: ActionItem, at: number): Promise<void> {
  await tx.outbox.enqueue({ kind: 'github_issue_create', incidentId: item.incidentId, actionItemId: item.id }, at, { key: `github_issue_create:${item.id}` });
}

/** Queues closing or reopening the item's issue; it runs after the issue's creation (same lane). */
export async function setIssueState(tx: Repos, item: ActionItem, state: LinkedIssue['state'], at: number): Promise<void> {
  await tx.outbox.enqueue({ kind: 'github_issue_state', incidentId: item.incidentId, actionItemId: item.id, state }, at);
}

/** Records the issue GitHub created (or that a retry found) for an action item. */
export async function onIssueCreated(tx: Repos, item: ActionItem, issue: Omit<LinkedIssue, 'actionItemId'>, at: number): Promise<void> {
  await tx.issues.link(item.incidentId, { ...issue, actionItemId: item.id }, at);
}

/** What a webhook delivery did, also the answer to a repeat of the same delivery. */
export type IssueSyncOutcome =
  | { incident: string; action: string; state: LinkedIssue['state']; changed: boolean }
  | { ignored: string };

/**
 * Applies a closed or reopened issue to its action item, once per delivery id: closing marks the item done, reopening
 * opens it again. The issue is found by number, or by the marker in its body when its creation is not recorded yet.
 */
export async function applyIssueEvent(deps: Deps, event: IssuesEvent & { url: string }, deliveryId: string, repository: string): Promise<IssueSyncOutcome> {
  const now = deps.clock();
  const key = `github_delivery:${deliveryId}`;
  return deps.store.transaction(async (tx) => {
    const previous = await tx.requests.get(key);
    if (previous !== undefined) return previous as IssueSyncOutcome;
    const outcome = await apply(tx, event, repository, now);
    await tx.requests.put(key, outcome, now);
    return outcome;
  });
}

async function apply(tx: Repos, event: IssuesEvent & { url: string }, repository: string, now: number): Promise<IssueSyncOutcome> {
  if (event.repository.toLowerCase() !== repository.toLowerCase()) return { ignored: `issue of ${event.repository}, not ${repository}` };
  const linked = await tx.issues.byNumber(event.number);
  let item: ActionItem | null = linked ? await tx.actions.byId(linked.actionItemId) : null;
  if (!item) {
    const marker = parseIssueMarker(event.body);
    item = marker ? await tx.actions.get(marker.incidentId, marker.seq) : null;
    if (!item) return { ignored: `issue #${event.number} is not an incident follow-up` };
    if (!linked) await tx.issues.link(item.incidentId, { actionItemId: item.id, number: event.number, url: event.url, state: 'open' }, now);
  }
  const state = event.action === 'closed' ? 'closed' : 'open';
  await tx.issues.setState(item.id, state, now);
  const ref = actionRef(item.seq);
  const result = { incident: incidentRef(item.incidentId), action: ref, state } as const;
  if (state === 'closed' && item.status === 'open') {
    await tx.actions.markDone(item.id, now);
    await tx.reminders.cancel(item.incidentId, 'action', item.id);
    await record(tx, item.incidentId, now, 'action_done', null, `Action ${ref} done: issue #${event.number} closed on GitHub by ${event.sender}`);
  } else if (state === 'open' && item.status === 'done') {
    await tx.actions.reopen(item.id);
    // Reminders resume: the due morning if it is still ahead, else the next weekly one.
    if (item.dueDate) await tx.reminders.schedule(item.incidentId, 'action', nextActionReminder(item.dueDate, await zoneOf(tx, remindee(item)), now), item.id);
    await record(tx, item.incidentId, now, 'action', null, `Action ${ref} open again: issue #${event.number} reopened on GitHub by ${event.sender}`);
  } else {
    return { ...result, changed: false };
  }
  await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: item.incidentId, notice: { type: 'action_synced', seq: item.seq, state, login: event.sender } }, now);
  return { ...result, changed: true };
}

/** GitHub refused to open an item's issue for good: said in the channel (the item itself stays, in Slack). */
export async function onIssueRefused(tx: Repos, item: ActionItem, error: string, at: number): Promise<void> {
  await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: item.incidentId, notice: { type: 'integration_refused', target: 'github', what: `an issue for ${actionRef(item.seq)}`, error } }, at, { key: `github_refused:${item.id}` });
}
