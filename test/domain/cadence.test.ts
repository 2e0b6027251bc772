import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CADENCE, firstDue, onOverdue, parseCadence, replanOnSeverityChange, shouldEscalate, type Cadence } from '../../src/domain/cadence.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 15, 9, 0);

describe('parseCadence', () => {
  it('reads the default spelling', () => {
    expect(parseCadence('SEV1=15m,SEV2=30m,SEV3=60m,SEV4=off')).toEqual({ SEV1: 15 * MIN, SEV2: 30 * MIN, SEV3: 60 * MIN, SEV4: null });
    expect(DEFAULT_CADENCE).toEqual({ SEV1: 15 * MIN, SEV2: 30 * MIN, SEV3: 60 * MIN, SEV4: null });
  });
  it('is case-insensitive, tolerates spaces, fills in defaults', () => {
    expect(parseCadence(' sev1 = 5m , Sev4=2h ')).toEqual({ SEV1: 5 * MIN, SEV2: 30 * MIN, SEV3: 60 * MIN, SEV4: 120 * MIN });
    expect(parseCadence('')).toEqual(DEFAULT_CADENCE);
    expect(parseCadence('SEV3=OFF,')).toEqual({ ...DEFAULT_CADENCE, SEV3: null });
  });
  it('names every bad entry', () => {
    const r = parseCadence('SEV5=10m,SEV2=soon,SEV1,SEV3=0m');
    expect(r).toHaveProperty('error');
    const error = (r as { error: string }).error;
    expect(error).toContain('SEV5');
    expect(error).toContain('"soon" for SEV2');
    expect(error).toContain('"SEV1" is not KEY=DURATION');
    expect(error).toContain('"0m" for SEV3');
    expect(error).toContain('SEV1=15m');
  });
  it('refuses a severity given twice', () => {
    expect(parseCadence('SEV1=1m,sev1=2m')).toEqual({ error: expect.stringContaining('SEV1 is given more than once') });
  });
});

describe('firstDue', () => {
  it('one cadence after the start, null when off', () => {
    expect(firstDue(DEFAULT_CADENCE, 'SEV1', T0)).toBe(T0 + 15 * MIN);
    expect(firstDue(DEFAULT_CADENCE, 'SEV3', T0)).toBe(T0 + 60 * MIN);
    expect(firstDue(DEFAULT_CADENCE, 'SEV4', T0)).toBeNull();
  });
});

describe('onOverdue', () => {
  const c = 15 * MIN;
  const due = T0 + c;
  it('not yet due', () => expect(onOverdue(due, c, due - 1)).toEqual({ missedCycles: 0, nextDueAt: due }));
  it('exactly due counts one and moves one cadence on', () => expect(onOverdue(due, c, due)).toEqual({ missedCycles: 1, nextDueAt: due + c }));
  it('a tick shortly after the due time', () => expect(onOverdue(due, c, due + 30_000)).toEqual({ missedCycles: 1, nextDueAt: due + c }));
  it('after 3h of downtime: one catch-up counting every missed cycle, next due on the grid', () => {
    const now = due + 3 * 60 * MIN + 7 * MIN;
    // Due times passed: due, due+15m, …, due+3h → 13 of them; the next grid point is due+3h15m.
    expect(onOverdue(due, c, now)).toEqual({ missedCycles: 13, nextDueAt: due + 13 * c });
  });
  it('property: count and grid', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1000, max: 86_400_000 }), fc.integer({ min: 0, max: 30 * 86_400_000 }), (dueAt, cad, late) => {
      const now = dueAt + late;
      const { missedCycles, nextDueAt } = onOverdue(dueAt, cad, now);
      expect(missedCycles).toBeGreaterThanOrEqual(1);
      expect(nextDueAt).toBeGreaterThan(now);
      expect(nextDueAt - cad).toBeLessThanOrEqual(now);
      expect((nextDueAt - dueAt) % cad).toBe(0);
      expect((nextDueAt - dueAt) / cad).toBe(missedCycles);
    }));
  });
  it('rejects a non-positive cadence', () => {
    expect(() => onOverdue(due, 0, due)).toThrow(RangeError);
    expect(() => onOverdue(due, Number.NaN, due)).toThrow(RangeError);
  });
});

describe('replanOnSeverityChange', () => {
  const cadence: Cadence = { SEV1: 10 * MIN, SEV2: 30 * MIN, SEV3: 60 * MIN, SEV4: null };
  it('one new cadence after the last update', () => {
    expect(replanOnSeverityChange(cadence, 'SEV2', T0, T0 + 5 * MIN)).toBe(T0 + 30 * MIN);
  });
  it('never in the past: an upgrade that is already overdue is due now', () => {
    expect(replanOnSeverityChange(cadence, 'SEV1', T0, T0 + 40 * MIN)).toBe(T0 + 40 * MIN);
  });
  it('off for the new severity', () => expect(replanOnSeverityChange(cadence, 'SEV4', T0, T0)).toBeNull());
});

describe('shouldEscalate', () => {
  it.each([[0, 2, false], [1, 2, false], [2, 2, true], [5, 2, true], [9, 0, false], [1, 1, true]])('%i missed, threshold %i → %s', (m, t, want) => {
    expect(shouldEscalate(m, t)).toBe(want);
  });
});
