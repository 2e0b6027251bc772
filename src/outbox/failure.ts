/** Why a delivery to any target failed, in the terms the outbox worker decides on (wait as told, back off, or give up). */
import { SlackCallError } from '../slack/slack-api.js';
import type { Target } from '../app/effects.js';

/** A classified failure: rate limited (wait as told), circuit open (wait, no attempt counted), transient (back off), permanent (give up). */
export type DeliveryFailure =
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'circuit_open'; retryInMs: number }
  /** `settleMs`: the call may still take effect that long after it failed (a timeout): the retry, which looks first, waits for it. */
  | { kind: 'transient'; detail: string; settleMs?: number }
  | { kind: 'permanent'; code: string };

/** A failed call to a target other than Slack (PagerDuty, Statuspage, GitHub), classified. */
export class TargetCallError extends Error {
  constructor(readonly target: Target, readonly operation: string, readonly failure: DeliveryFailure) {
    super(`${target} ${operation}: ${failure.kind === 'permanent' ? failure.code : failure.kind === 'transient' ? failure.detail : failure.kind}`);
  }
}

/** A delivery that can never succeed (a bug or an effect for another target): buried at once. */
export class PermanentDeliveryError extends Error {}

/** Classifies whatever a deliverer threw; anything unknown is transient (retried with backoff). */
export function classifyFailure(err: unknown): DeliveryFailure {
  if (err instanceof TargetCallError) return err.failure;
  if (err instanceof SlackCallError) {
    const f = err.failure;
    return f.kind === 'slack_error' ? { kind: 'permanent', code: f.code } : f;
  }
  if (err instanceof PermanentDeliveryError) return { kind: 'permanent', code: err.message };
  return { kind: 'transient', detail: err instanceof Error ? err.message : String(err) };
}
