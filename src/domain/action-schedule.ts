/** When action item reminders fire: the morning of the due date in the owner's own time zone, then weekly while overdue. Pure: time comes in as arguments. */
import type { Person } from './person.js';

/** Local hour at which an owner is reminded. */
export const ACTION_REMINDER_HOUR = 9;
/** Overdue items are reminded again this often. */
export const ACTION_REPEAT_MS = 7 * 24 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A person's zone as far as it is known; null means UTC. */
export type Zone = Pick<Person, 'tz' | 'tzOffsetSec'> | null;

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(tz: string): Intl.DateTimeFormat | null {
  let f = formatters.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      f = null; // a zone this runtime does not know: fall back to the stored offset
    }
    formatters.set(tz, f);
  }
  return f;
}

/** The zone's offset from UTC at instant `ms`, in ms (DST-aware for named zones; the stored offset otherwise; 0 when unknown). */
export function offsetAt(zone: Zone, ms: number): number {
  const f = zone?.tz ? formatter(zone.tz) : null;
  if (f) {
    const p: Record<string, number> = {};
    for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    return local - Math.floor(ms / 1000) * 1000;
  }
  return (zone?.tzOffsetSec ?? 0) * 1000;
}

/** `YYYY-MM-DD` of instant `ms` in the zone. */
export function localDate(zone: Zone, ms: number): string {
  return new Date(ms + offsetAt(zone, ms)).toISOString().slice(0, 10);
}

/** The instant at which the clocks of the zone show `hour`:00 on `date` (YYYY-MM-DD). */
export function localTimeOn(date: string, hour: number, zone: Zone): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + hour * 3_600_000;
  // Two passes settle the offset around a DST change (the offset at the guess may differ from the one at the answer).
  let at = wall - offsetAt(zone, wall);
  at = wall - offsetAt(zone, at);
  return at;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The n-th reminder of an item due `dueDate` (0: the due morning, then one per week), in the owner's zone. */
export function actionReminderAt(dueDate: string, zone: Zone, n: number): number {
  return localTimeOn(addDays(dueDate, 7 * n), ACTION_REMINDER_HOUR, zone);
}

/** The first reminder after `after` (or the due morning itself when `after` is null) of an item due `dueDate`. */
export function nextActionReminder(dueDate: string, zone: Zone, after: number | null): number {
  const first = actionReminderAt(dueDate, zone, 0);
  if (after === null || first > after) return first;
  let n = Math.max(1, Math.floor((after - first) / ACTION_REPEAT_MS));
  while (actionReminderAt(dueDate, zone, n) <= after) n++;
  return actionReminderAt(dueDate, zone, n);
}

/** Which of an item's reminders a due time was planned as (nearest weekly slot; zones differ by less than a day). */
export function reminderIndex(dueDate: string, dueAt: number): number {
  return Math.max(0, Math.round((dueAt - actionReminderAt(dueDate, null, 0)) / ACTION_REPEAT_MS));
}

/** Whether an open item is overdue at `now`: its due date is over in the owner's zone. */
export function isOverdue(item: { status: string; dueDate: string | null }, zone: Zone, now: number): boolean {
  return item.status !== 'done' && item.dueDate !== null && item.dueDate < localDate(zone, now);
}
