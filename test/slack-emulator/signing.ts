import { createHmac } from 'node:crypto';

/** How a driver request is signed: correctly, with a wrong secret, not at all, or 6 minutes in the past. */
export type SignatureMode = 'valid' | 'wrong' | 'missing' | 'stale';

/** Slack's request signature: `v0=` + hex HMAC-SHA256(secret, `v0:<ts>:<body>`). */
export function slackSignature(signingSecret: string, timestampSec: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex')}`;
}

/** The X-Slack-Request-Timestamp / X-Slack-Signature headers for a body, in the given mode. */
export function signatureHeaders(
  signingSecret: string,
  rawBody: string,
  mode: SignatureMode = 'valid',
  nowSec: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  if (mode === 'missing') return {};
  const ts = mode === 'stale' ? nowSec - 6 * 60 : nowSec;
  const secret = mode === 'wrong' ? `${signingSecret}-not-the-secret` : signingSecret;
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(secret, ts, rawBody) };
}
