import { describe, expect, it } from 'vitest';
import { bearerOk, pagerDutySignatureOk, safeEqual } from '../../src/integrations/hook-auth.js';
import { pagerDutySign } from '../hook-senders.js';

describe('hook authentication', () => {
  it('bearer: exact token only, scheme case-insensitive', () => {
    expect(bearerOk('Bearer s3cret-token-value', 's3cret-token-value')).toBe(true);
    expect(bearerOk('bearer s3cret-token-value', 's3cret-token-value')).toBe(true);
    expect(bearerOk('Bearer s3cret-token-valu', 's3cret-token-value')).toBe(false);
    expect(bearerOk('Basic s3cret-token-value', 's3cret-token-value')).toBe(false);
    expect(bearerOk(undefined, 's3cret-token-value')).toBe(false);
    expect(bearerOk('Bearer ', '')).toBe(false);
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'ab')).toBe(false);
  });

  it('PagerDuty: any of several comma-separated v1 signatures of the raw body', () => {
    const raw = Buffer.from('{"event":{}}');
    expect(pagerDutySignatureOk(pagerDutySign('new', raw), 'new', raw)).toBe(true);
    expect(pagerDutySignatureOk(`${pagerDutySign('old', raw)}, ${pagerDutySign('new', raw)}`, 'new', raw)).toBe(true);
    expect(pagerDutySignatureOk(pagerDutySign('old', raw), 'new', raw)).toBe(false);
    expect(pagerDutySignatureOk(pagerDutySign('new', Buffer.from('{"event":{} }')), 'new', raw)).toBe(false);
    expect(pagerDutySignatureOk(undefined, 'new', raw)).toBe(false);
  });
});
