import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelName, isValidChannelName, MAX_CHANNEL_NAME, slugify } from '../../src/domain/channel-name.js';

describe('channelName', () => {
  it('slugs titles', () => {
    expect(channelName(42, 'Checkout API: 500s on /pay!')).toBe('inc-42-checkout-api-500s-on-pay');
    expect(channelName(7, '  --Hello__World--  ')).toBe('inc-7-hello-world');
  });
  it('transliterates accents and special letters', () => {
    expect(channelName(1, 'Café Müller — Straße Øresund Łódź')).toBe('inc-1-cafe-muller-strasse-oresund-lodz');
    expect(channelName(1, 'ＡＢＣ ﬁle')).toBe('inc-1-abc-file');
  });
  it('falls back to inc-<n> when nothing is left', () => {
    expect(channelName(5, '🔥🔥🔥')).toBe('inc-5');
    expect(channelName(5, '')).toBe('inc-5');
    expect(channelName(5, '日本語', 1)).toBe('inc-5-2');
  });
  it('adds collision suffixes', () => {
    expect(channelName(3, 'db down', 1)).toBe('inc-3-db-down-2');
    expect(channelName(3, 'db down', 2)).toBe('inc-3-db-down-3');
  });
  it('cuts long titles at a word boundary within 80 characters', () => {
    const title = 'the quick brown fox jumps over the lazy dog '.repeat(5);
    const name = channelName(123, title);
    expect(name.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME);
    expect(name.length).toBeGreaterThan(70);
    expect(title.replace(/ /g, '-')).toContain(name.slice('inc-123-'.length) + '-');
    const withSuffix = channelName(123, title, 9);
    expect(withSuffix.endsWith('-10')).toBe(true);
    expect(withSuffix.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME);
  });
  it('hard-cuts a single very long word', () => {
    const name = channelName(1, 'a'.repeat(200));
    expect(name).toBe(`inc-1-${'a'.repeat(80 - 6)}`);
  });
  it('rejects ids and attempts that are not non-negative integers', () => {
    expect(() => channelName(-1, 'x')).toThrow(RangeError);
    expect(() => channelName(1.5, 'x')).toThrow(RangeError);
    expect(() => channelName(1, 'x', -1)).toThrow(RangeError);
  });
  it('property: always valid, ≤ 80, never ends with -, distinct per attempt', () => {
    fc.assert(fc.property(
      fc.fullUnicodeString({ maxLength: 500 }),
      fc.integer({ min: 0, max: 1_000_000_000 }),
      fc.integer({ min: 0, max: 10_000 }),
      (title, id, attempt) => {
        const name = channelName(id, title, attempt);
        expect(isValidChannelName(name)).toBe(true);
        expect(name.length).toBeLessThanOrEqual(80);
        expect(name.endsWith('-')).toBe(false);
        expect(name.startsWith(`inc-${id}`)).toBe(true);
        if (attempt > 0) expect(name.endsWith(`-${attempt + 1}`)).toBe(true);
        expect(channelName(id, title, attempt + 1)).not.toBe(name);
      },
    ), { numRuns: 1000 });
  });
  it('property: long word-like titles keep as much as fits', () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 30, maxLength: 60 }), (words) => {
      const name = channelName(1, words.join(' '));
      expect(name.length).toBeGreaterThanOrEqual(80 - 13);
      expect(name.length).toBeLessThanOrEqual(80);
    }));
  });
});

describe('slugify and isValidChannelName', () => {
  it('slugify', () => expect(slugify('Ærø ĦŦ')).toBe('aero-ht'));
  it.each([['inc-1-x', true], ['a_b', true], ['', false], ['Inc-1', false], ['inc 1', false], ['inc.1', false], ['a'.repeat(81), false], ['a'.repeat(80), true]])('%j → %s', (s, ok) => {
    expect(isValidChannelName(s)).toBe(ok);
  });
});
