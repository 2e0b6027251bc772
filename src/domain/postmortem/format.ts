/** Formatting shared by the postmortem sections: UTC times, elapsed times, labels, lists. */
import { formatDuration } from '../duration.js';
import { SEVERITIES, type Severity, type Status, type TimelineKind } from '../incident.js';

/** One minute in ms. */
export const MINUTE = 60_000;
/** The largest distance from the epoch a Date can hold (ms). */
export const MAX_DATE_MS = 8.64e15;

/** How each kind of timeline entry is named in the Events table. */
export const KIND_LABELS: Record<TimelineKind, string> = {
  alert: 'Alert',
  page: 'Page',
  declared: 'Declared',
  role: 'Role change',
  severity: 'Severity change',
  status: 'Status change',
  update: 'Status update',
  action: 'Action item',
  action_done: 'Action done',
  resolved: 'Resolved',
  closed: 'Closed',
  log: 'Log',
  message: 'Pinned message',
  reminder: 'Reminder',
  postmortem: 'Postmortem',
  statuspage: 'Status page',
};

/** Status names as written in the draft. */
export const STATUS_LABELS: Record<Status, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  mitigating: 'Mitigating',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** Two digits. */
export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `2026-11-22 23:01` for an epoch-ms time (UTC), or `unknown` when it is not a valid time. */
export function utcMinute(ms: number): string {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) return 'unknown';
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** `2026-11-22 23:01 UTC`. */
export function utc(ms: number): string {
  const s = utcMinute(ms);
  return s === 'unknown' ? s : `${s} UTC`;
}

/** `2026-11-22`. */
export function utcDate(ms: number): string {
  return utcMinute(ms).slice(0, 10);
}

/** A non-negative elapsed time in words: `0s`, `45s`, `1h 14m`. */
export function elapsed(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  return ms < 1000 ? '0s' : formatDuration(ms);
}

/** The elapsed time from `from` to `to` (never negative). */
export function since(from: number, to: number): string {
  return elapsed(Math.max(0, to - from));
}

/** Position of a severity, most severe first. */
export function severityRank(s: Severity): number {
  const i = SEVERITIES.indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
}

/** Code-unit string order (locale-independent, so drafts are the same everywhere). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `1 update`, `2 updates`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A bulleted list, or the fallback line when there is nothing to list. */
export function bullets(items: readonly string[], fallback: string): string {
  return items.length === 0 ? fallback : items.map((i) => `- ${i}`).join('\n');
}
