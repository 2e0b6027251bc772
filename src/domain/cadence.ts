/** Status-update cadence: when the next update is due and how missed ones are counted, with time passed in. */
import { parseDuration } from './duration.js';
import { SEVERITIES, type Severity } from './incident.js';

/** Update interval per severity in milliseconds; null means no reminders for that severity. */
export type Cadence = Record<Severity, number | null>;

/** The cadence used when `UPDATE_CADENCE` is not set: SEV1=15m, SEV2=30m, SEV3=60m, SEV4=off. */
export const DEFAULT_CADENCE: Readonly<Cadence> = { SEV1: 15 * 60_000, SEV2: 30 * 60_000, SEV3: 60 * 60_000, SEV4: null };

const CADENCE_EXAMPLE = 'SEV1=15m,SEV2=30m,SEV3=60m,SEV4=off';

/** Parses `SEV1=15m,SEV2=30m,…` (case-insensitive, missing severities keep their default); the error names every bad entry. */
export function parseCadence(text: string): Cadence | { error: string } {
  const cadence: Cadence = { ...DEFAULT_CADENCE };
  const problems: string[] = [];
  const seen = new Set<Severity>();
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq < 0) {
      problems.push(`"${item}" is not KEY=DURATION`);
      continue;
    }
    const key = item.slice(0, eq).trim().toUpperCase();
    const value = item.slice(eq + 1).trim();
    if (!(SEVERITIES as readonly string[]).includes(key)) {
      problems.push(`unknown severity "${item.slice(0, eq).trim()}"`);
      continue;
    }
    const sev = key as Severity;
    if (seen.has(sev)) problems.push(`${sev} is given more than once`);
    seen.add(sev);
    const ms = parseDuration(value);
    if (ms === undefined) problems.push(`bad duration "${value}" for ${sev}`);
    else cadence[sev] = ms;
  }
  if (problems.length) return { error: `${problems.join('; ')} (expected e.g. ${CADENCE_EXAMPLE}; durations like 30s, 15m, 1h, 2d or off)` };
  return cadence;
}

/** When the first update is due after declaration (or after a reset at `from`); null when the severity has no cadence. */
export function firstDue(cadence: Cadence, severity: Severity, from: number): number | null {
  const ms = cadence[severity];
  return ms === null ? null : from + ms;
}

/** Catch-up rule: however long the bot was down, one reminder counts every missed due time, and the next due time stays on the grid. */
export function onOverdue(dueAt: number, cadenceMs: number, now: number): { missedCycles: number; nextDueAt: number } {
  if (!(cadenceMs > 0) || !Number.isFinite(cadenceMs)) throw new RangeError(`cadence must be a positive number of ms, got ${cadenceMs}`);
  if (now < dueAt) return { missedCycles: 0, nextDueAt: dueAt };
  const missedCycles = Math.floor((now - dueAt) / cadenceMs) + 1;
  return { missedCycles, nextDueAt: dueAt + missedCycles * cadenceMs };
}

/** Next due time after a severity change: one new cadence after the last update (or declaration), but never in the past. */
export function replanOnSeverityChange(cadence: Cadence, newSeverity: Severity, lastUpdateAtOrDeclaredAt: number, now: number): number | null {
  const ms = cadence[newSeverity];
  return ms === null ? null : Math.max(now, lastUpdateAtOrDeclaredAt + ms);
}

/** Whether missed updates in a row warrant escalation; a threshold of 0 turns escalation off. */
export function shouldEscalate(missedInARow: number, threshold: number): boolean {
  return threshold > 0 && missedInARow >= threshold;
}

/** Whether a reminder that takes the count from `before` to `after` misses crosses the escalation threshold: one escalation per streak. */
export function escalatesNow(before: number, after: number, threshold: number): boolean {
  return shouldEscalate(after, threshold) && !shouldEscalate(before, threshold);
}

/**
 * Whether a queued reminder (`exact`) or escalation about `missed` misses has gone stale before delivery: the incident is no
 * longer active (resolved), an update reset the count, or (for a reminder) a later reminder has already counted more.
 */
export function missNoticeIsStale(active: boolean, missedNow: number, missed: number, exact: boolean): boolean {
  return !active || (exact ? missedNow !== missed : missedNow < missed);
}
