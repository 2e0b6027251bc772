import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, isoUtc, parseUserMention, slackDate, truncate } from '../../src/domain/text.js';

const T = Date.UTC(2026, 10, 22, 23, 1, 59, 500);

describe('escapeMrkdwn', () => {
  it('escapes the control characters', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> > x')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; &gt; x');
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
  });
  it('leaves no raw < or > and round-trips', () => {
    fc.assert(fc.property(fc.fullUnicodeString(), (s) => {
      const e = escapeMrkdwn(s);
      expect(e).not.toMatch(/[<>]/);
      expect(e.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
      expect(e.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(s);
    }));
  });
});

describe('truncate', () => {
  it('leaves short text alone and marks cuts', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello world', 8)).toBe('hello w…');
    expect(truncate('hello world', 7)).toBe('hello…');
    expect(truncate('abc', 1)).toBe('…');
    expect(truncate('abc', 0)).toBe('');
    expect(truncate('abc', -3)).toBe('');
  });
  it('does not split a surrogate pair', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('ab😀cd', 5)).toBe('ab😀…');
  });
  it('does not leave half an entity', () => {
    expect(truncate('ab &amp; cd', 6)).toBe('ab…');
    expect(truncate('ab &amp; cd', 9)).toBe('ab &amp;…');
    expect(truncate('x&lt;y', 4)).toBe('x…');
  });
  it('properties: bounded, prefix, no lone surrogate, no half entity', () => {
    fc.assert(fc.property(fc.fullUnicodeString({ maxLength: 60 }).map(escapeMrkdwn), fc.integer({ min: 1, max: 70 }), (s, max) => {
      const t = truncate(s, max);
      expect(t.length).toBeLessThanOrEqual(max);
      if (s.length <= max) {
        expect(t).toBe(s);
        return;
      }
      expect(t.endsWith('…')).toBe(true);
      const body = t.slice(0, -1);
      expect(s.startsWith(body)).toBe(true);
      expect(body).not.toMatch(/[\uD800-\uDBFF]$/);
      expect(body.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }), { numRuns: 2000 });
  });
});

describe('dates', () => {
  it('isoUtc', () => {
    expect(isoUtc(T)).toBe('2026-11-22 23:01 UTC');
    expect(isoUtc(0)).toBe('1970-01-01 00:00 UTC');
    expect(isoUtc(Number.NaN)).toBe('unknown time');
  });
  it('slackDate uses unix seconds and a UTC fallback', () => {
    expect(slackDate(T)).toBe(`<!date^${Math.floor(T / 1000)}^{date_short_pretty} {time}|2026-11-22 23:01 UTC>`);
    expect(slackDate(T, '{time}')).toBe(`<!date^1795388519^{time}|2026-11-22 23:01 UTC>`);
  });
});

describe('parseUserMention', () => {
  it.each([
    ['<@U123>', 'U123'], ['<@W0ABC|bob>', 'W0ABC'], [' <@U9|Bob Smith> ', 'U9'],
    ['@bob', null], ['<#C123|general>', null], ['<@u123>', null], ['<@U123', null], ['<!channel>', null], ['', null], ['<@U1> x', null],
  ])('%j → %j', (s, id) => expect(parseUserMention(s)).toBe(id));
});
