/** Slack request signatures, stricter than Bolt's: timestamps within 5 minutes either way, and no signature accepted twice. */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's window for a request timestamp, either way. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

/** Why a request was refused, or null when it is authentic and new. */
export type SignatureVerdict = null | 'missing' | 'stale' | 'bad_signature' | 'replayed';

/** Verifies `v0` signatures and remembers the ones seen within the window, so a replay of the same signed bytes is refused. */
export class SignatureGuard {
  // Insertion order is arrival order, so expired entries are always at the front.
  private readonly seen = new Map<string, number>();

  constructor(private readonly secret: string, private readonly now: () => number = Date.now, private readonly windowMs = SIGNATURE_WINDOW_MS) {}

  /** Checks one request; a request that passes is remembered until its timestamp leaves the window. */
  check(timestampHeader: string | undefined, signatureHeader: string | undefined, rawBody: Buffer | string): SignatureVerdict {
    if (!timestampHeader || !signatureHeader) return 'missing';
    const ts = Number(timestampHeader);
    const now = this.now();
    if (!Number.isInteger(ts) || Math.abs(now - ts * 1000) > this.windowMs) return 'stale';
    const expected = `v0=${createHmac('sha256', this.secret).update(`v0:${ts}:`).update(rawBody).digest('hex')}`;
    const a = Buffer.from(expected);
    const b = Buffer.from(signatureHeader);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return 'bad_signature';
    this.prune(now);
    if (this.seen.has(signatureHeader)) return 'replayed';
    // Remembered until the timestamp is out of the window in the future direction too.
    this.seen.set(signatureHeader, ts * 1000 + this.windowMs);
    return null;
  }

  private prune(now: number): void {
    for (const [sig, until] of this.seen) {
      if (until >= now && this.seen.size < 1_000_000) break;
      this.seen.delete(sig);
    }
  }
}
