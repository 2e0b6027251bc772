/** Action items as GitHub issues: the issue's text, the marker that finds it again, and reading `issues` webhooks. */
import { actionRef, incidentRef } from './incident.js';

/** Label every follow-up issue carries (also narrows the look-up after an ambiguous failure). */
export const FOLLOW_UP_LABEL = 'incident-followup';

/** A GitHub issue linked to an action item. */
export interface LinkedIssue {
  actionItemId: number;
  number: number;
  url: string;
  state: 'open' | 'closed';
}

/** Hidden marker in the issue body: unique per action item, so an issue created by an attempt that seemed to fail is found. */
export function issueMarker(incidentId: number, seq: number): string {
  return `<!-- incident-bot:follow-up ${incidentRef(incidentId)} ${actionRef(seq)} -->`;
}

/** Reads the marker back: which action item an issue body belongs to. */
export function parseIssueMarker(body: string | null | undefined): { incidentId: number; seq: number } | null {
  const m = /<!-- incident-bot:follow-up INC-(\d+) A-(\d+) -->/.exec(body ?? '');
  return m ? { incidentId: Number(m[1]), seq: Number(m[2]) } : null;
}

/** GitHub caps issue titles at 256 characters. */
export function issueTitle(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= 256 ? one : `${one.slice(0, 255)}…`;
}

/** The issue body: owner by name, due date, the incident and its channel, and the marker. */
export function issueBody(input: { incidentId: number; seq: number; text: string; title: string; ownerName: string | null; dueDate: string | null; channelLink: string | null }): string {
  const ref = incidentRef(input.incidentId);
  const lines = [
    `Follow-up ${actionRef(input.seq)} from incident **${ref}**: ${input.title.replace(/\s+/g, ' ').trim()}`,
    '',
    input.text.trim(),
    '',
    `- **Owner:** ${input.ownerName ?? 'unassigned'}`,
    `- **Due:** ${input.dueDate ?? 'no due date'}`,
    `- **Incident:** ${ref}${input.channelLink ? ` ([incident channel](${input.channelLink}))` : ''}`,
    '',
    `Closing this issue marks ${actionRef(input.seq)} done in Slack; reopening it opens the action again.`,
    '',
    issueMarker(input.incidentId, input.seq),
  ];
  return lines.join('\n');
}

/** An `issues` webhook the bot acts on. */
export interface IssuesEvent {
  action: 'closed' | 'reopened';
  number: number;
  repository: string;
  body: string | null;
  sender: string;
}

/** Parses an `issues` webhook body; `ignored` for other actions; an error names what is missing. */
export function parseIssuesEvent(payload: unknown): IssuesEvent | { ignored: string } | { error: string } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { error: 'the body must be a JSON object' };
  const p = payload as { action?: unknown; issue?: { number?: unknown; body?: unknown }; repository?: { full_name?: unknown }; sender?: { login?: unknown } };
  if (typeof p.action !== 'string') return { error: 'missing "action"' };
  if (typeof p.issue !== 'object' || p.issue === null || typeof p.issue.number !== 'number') return { error: 'missing "issue.number"' };
  if (typeof p.repository?.full_name !== 'string') return { error: 'missing "repository.full_name"' };
  if (p.action !== 'closed' && p.action !== 'reopened') return { ignored: `action ${p.action}` };
  return {
    action: p.action, number: p.issue.number, repository: p.repository.full_name,
    body: typeof p.issue.body === 'string' ? p.issue.body : null, sender: typeof p.sender?.login === 'string' ? p.sender.login : 'someone',
  };
}
