/** Authenticating hook requests: bearer tokens and PagerDuty V3 signatures, compared in constant time. */
import crypto from 'node:crypto';

/** Constant-time equality of two strings, whatever their lengths (both are hashed first). */
export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

/** Whether `Authorization: Bearer <token>` carries the expected token. */
export function bearerOk(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ \t]+(\S.*?)[ \t]*$/i.exec(header ?? '');
  // Compare anyway on a missing header, so the answer takes the same time.
  return safeEqual(m?.[1] ?? '', token) && !!m;
}

/** `v1=<hex HMAC-SHA256 of the raw body>`: the signature PagerDuty sends for a secret. */
export function pagerDutySignature(secret: string, raw: Buffer): string {
  return `v1=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** Whether any of the comma-separated `X-PagerDuty-Signature` values matches (several during secret rotation). */
export function pagerDutySignatureOk(header: string | undefined, secret: string, raw: Buffer): boolean {
  if (!header) return false;
  const expected = pagerDutySignature(secret, raw);
  let ok = false;
  for (const sig of header.split(',').slice(0, 10)) if (safeEqual(sig.trim(), expected)) ok = true;
  return ok;
}
