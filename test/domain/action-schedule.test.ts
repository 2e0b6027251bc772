import { describe, expect, it } from 'vitest';
import { isOverdue, localDate, localTimeOn, nextActionReminder, reminderIndex } from '../../src/domain/action-schedule.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('action reminder times', () => {
  it('09:00 on the due date in the owner\'s zone, DST included; UTC when unknown', () => {
    expect(iso(localTimeOn('2026-12-02', 9, { tz: 'America/Los_Angeles', tzOffsetSec: null }))).toBe('2026-12-02T17:00:00.000Z');
    expect(iso(localTimeOn('2026-07-02', 9, { tz: 'America/Los_Angeles', tzOffsetSec: null }))).toBe('2026-07-02T16:00:00.000Z');
    expect(iso(localTimeOn('2026-12-05', 9, { tz: 'Asia/Tokyo', tzOffsetSec: null }))).toBe('2026-12-05T00:00:00.000Z');
    // The day DST starts in Europe (2026-03-29): 09:00 is already summer time.
    expect(iso(localTimeOn('2026-03-29', 9, { tz: 'Europe/Berlin', tzOffsetSec: 3600 }))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(localTimeOn('2026-12-02', 9, null))).toBe('2026-12-02T09:00:00.000Z');
    // A zone name this runtime does not know falls back to the offset Slack gave.
    expect(iso(localTimeOn('2026-12-02', 9, { tz: 'Mars/Olympus', tzOffsetSec: 5.5 * 3600 }))).toBe('2026-12-02T03:30:00.000Z');
  });

  it('then weekly at the same local time, the first one after the last fired', () => {
    const la = { tz: 'America/Los_Angeles', tzOffsetSec: null };
    expect(iso(nextActionReminder('2026-12-02', la, null))).toBe('2026-12-02T17:00:00.000Z');
    expect(iso(nextActionReminder('2026-12-02', la, Date.parse('2026-12-02T17:00:00Z')))).toBe('2026-12-09T17:00:00.000Z');
    // After a long downtime: one catch-up, then back on the weekly grid.
    expect(iso(nextActionReminder('2026-12-02', la, Date.parse('2027-01-01T00:00:00Z')))).toBe('2027-01-06T17:00:00.000Z');
    // Across the March DST change the local hour stays 09:00.
    expect(iso(nextActionReminder('2027-03-03', la, Date.parse('2027-03-10T17:00:00Z')))).toBe('2027-03-17T16:00:00.000Z');
    expect(reminderIndex('2026-12-02', Date.parse('2026-12-09T17:00:00Z'))).toBe(1);
    expect(reminderIndex('2026-12-02', Date.parse('2026-12-02T00:00:00Z'))).toBe(0);
  });

  it('overdue once the due date is over in the owner\'s zone', () => {
    const tokyo = { tz: 'Asia/Tokyo', tzOffsetSec: null };
    const at = Date.parse('2026-12-05T16:00:00Z'); // 01:00 on 12-06 in Tokyo
    expect(localDate(tokyo, at)).toBe('2026-12-06');
    expect(isOverdue({ status: 'open', dueDate: '2026-12-05' }, tokyo, at)).toBe(true);
    expect(isOverdue({ status: 'open', dueDate: '2026-12-05' }, null, at)).toBe(false);
    expect(isOverdue({ status: 'done', dueDate: '2026-12-01' }, tokyo, at)).toBe(false);
    expect(isOverdue({ status: 'open', dueDate: null }, tokyo, at)).toBe(false);
  });
});
