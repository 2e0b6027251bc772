import { describe, expect, it } from 'vitest';
import { STATUSES, type Status } from '../../src/domain/incident.js';
import { ALLOWED_MOVES, canClose, checkMove } from '../../src/domain/lifecycle.js';

// Written out independently of the table so a change to either is caught.
const EXPECTED = new Set([
  'investigating>identified', 'investigating>mitigating', 'investigating>monitoring', 'investigating>resolved',
  'identified>mitigating', 'identified>monitoring', 'identified>resolved',
  'mitigating>monitoring', 'mitigating>resolved',
  'monitoring>mitigating', 'monitoring>resolved',
  'resolved>closed',
]);

const pairs: Array<[Status, Status]> = STATUSES.flatMap((from) => STATUSES.map((to): [Status, Status] => [from, to]));

describe('checkMove', () => {
  it.each(pairs)('%s → %s', (from, to) => {
    const r = checkMove(from, to);
    expect(r.ok).toBe(EXPECTED.has(`${from}>${to}`));
    if (!r.ok) {
      expect(r.reason.length).toBeGreaterThan(0);
      expect(r.allowed).toEqual([...ALLOWED_MOVES[from]]);
      expect(r.allowed).not.toContain(to);
    }
  });
  it('gives specific reasons', () => {
    const reason = (from: Status, to: Status) => {
      const r = checkMove(from, to);
      return r.ok ? '' : r.reason;
    };
    expect(reason('mitigating', 'mitigating')).toBe('the incident is already mitigating');
    expect(reason('resolved', 'investigating')).toMatch(/already resolved/);
    expect(reason('closed', 'investigating')).toBe('a closed incident cannot change');
    expect(reason('closed', 'closed')).toMatch(/already closed/);
    expect(reason('mitigating', 'identified')).toBe('cannot go back from mitigating to identified');
    expect(reason('monitoring', 'investigating')).toBe('cannot go back from monitoring to investigating');
    expect(reason('investigating', 'closed')).toMatch(/resolve it first/);
  });
  it('closed is terminal and every status has a table row', () => {
    expect(ALLOWED_MOVES.closed).toEqual([]);
    expect(Object.keys(ALLOWED_MOVES).sort()).toEqual([...STATUSES].sort());
  });
  it('the allowed list is a copy', () => {
    const r = checkMove('mitigating', 'identified');
    if (!r.ok) r.allowed.push('closed');
    expect(ALLOWED_MOVES.mitigating).toEqual(['monitoring', 'resolved']);
  });
});

describe('canClose', () => {
  const ic = { everHadIc: true, callerIsIc: true };
  it.each(STATUSES.filter((s) => s !== 'resolved' && s !== 'closed'))('refuses %s: resolve first', (s) => {
    expect(canClose(s, ic)).toEqual({ ok: false, reason: expect.stringMatching(/resolve it first/) });
  });
  it('refuses closed', () => expect(canClose('closed', ic)).toMatchObject({ ok: false, reason: expect.stringMatching(/already closed/) }));
  it('only the IC, once there has been one', () => {
    expect(canClose('resolved', ic)).toEqual({ ok: true });
    expect(canClose('resolved', { everHadIc: false, callerIsIc: false })).toEqual({ ok: true });
    expect(canClose('resolved', { everHadIc: true, callerIsIc: false, icUserId: 'U42' })).toEqual({ ok: false, reason: 'only the Incident Commander <@U42> may close the incident' });
    expect(canClose('resolved', { everHadIc: true, callerIsIc: false })).toEqual({ ok: false, reason: 'only the Incident Commander may close the incident' });
  });
});
