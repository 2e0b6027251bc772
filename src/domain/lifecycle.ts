/** The incident status machine, kept as a table so every allowed move is visible in one place. */
import { STATUSES, type Status } from './incident.js';

/** Allowed moves from each status; anything not listed is refused. */
export const ALLOWED_MOVES: Readonly<Record<Status, readonly Status[]>> = {
  investigating: ['identified', 'mitigating', 'monitoring', 'resolved'],
  identified: ['mitigating', 'monitoring', 'resolved'],
  mitigating: ['monitoring', 'resolved'],
  monitoring: ['mitigating', 'resolved'],
  resolved: ['closed'],
  closed: [],
};

/** Outcome of a check: allowed, or why not (shown to the user as is). */
export type MoveCheck = { ok: true } | { ok: false; reason: string; allowed: Status[] };

/** Whether `from` → `to` is allowed, with a human reason and the allowed targets when it is not. */
export function checkMove(from: Status, to: Status): MoveCheck {
  const allowed = [...ALLOWED_MOVES[from]];
  if (allowed.includes(to)) return { ok: true };
  return { ok: false, reason: refusal(from, to), allowed };
}

function refusal(from: Status, to: Status): string {
  if (from === to) return `the incident is already ${to}`;
  if (from === 'closed') return 'a closed incident cannot change';
  if (from === 'resolved') return 'the incident is already resolved; it can only be closed (`/incident close`)';
  if (to === 'closed') return 'resolve it first (`/incident resolve`), then close it';
  if (STATUSES.indexOf(to) < STATUSES.indexOf(from)) return `cannot go back from ${from} to ${to}`;
  return `cannot move from ${from} to ${to}`;
}

/** Who is asking to close, as far as closing rules care. `icUserId` is the current IC, named in the refusal. */
export interface CloseCaller {
  everHadIc: boolean;
  callerIsIc: boolean;
  icUserId?: string | null;
}

/** Whether the caller may close: only resolved incidents, and only by the IC once there has been one. */
export function canClose(status: Status, caller: CloseCaller): { ok: true } | { ok: false; reason: string } {
  if (status === 'closed') return { ok: false, reason: 'the incident is already closed' };
  if (status !== 'resolved') return { ok: false, reason: 'resolve it first (`/incident resolve`), then close it' };
  if (caller.everHadIc && !caller.callerIsIc) {
    const who = caller.icUserId ? ` <@${caller.icUserId}>` : '';
    return { ok: false, reason: `only the Incident Commander${who} may close the incident` };
  }
  return { ok: true };
}
