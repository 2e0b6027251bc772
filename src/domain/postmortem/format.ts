/** Formatting shared by the postmortem sections: UTC times, elapsed times, labels, lists. */
import { formatDuration } from '../duration.js';
import type { Status, TimelineKind } from '../incident.js';
import { isoUtc, utcMinute } from '../text.js';

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




/** `2026-11-22 23:01 UTC` (see isoUtc). */
export const utc = isoUtc;

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


/** Code-unit string order (locale-independent, so drafts are the same everywhere). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


/** A bulleted list, or the fallback line when there is nothing to list. */
export function bullets(items: readonly string[], fallback: string): string {
  return items.length === 0 ? fallback : items.map((i) => `- ${i}`).join('\n');
}
