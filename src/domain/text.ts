/** Text helpers for Slack mrkdwn: escaping, safe truncation, reader-local dates and mentions. */

/** Escapes the three characters Slack treats as control syntax, so user text can never ping `<!channel>` or forge links. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ENTITY_AT_START = /^&(?:amp|lt|gt);/;
const LONGEST_ENTITY = '&amp;'.length;

/** Cuts text to at most `max` UTF-16 units with a trailing `…`, because Slack rejects over-long fields and a split surrogate or entity renders as garbage. */
export function truncate(s: string, max: number): string {
  if (!(max > 0)) return '';
  const limit = Math.floor(max);
  if (s.length <= limit) return s;
  if (limit === 1) return '…';
  let end = limit - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  const amp = s.lastIndexOf('&', end - 1);
  if (amp >= 0 && end - amp < LONGEST_ENTITY && ENTITY_AT_START.test(s.slice(amp, amp + LONGEST_ENTITY))) {
    const entityEnd = s.indexOf(';', amp) + 1;
    if (entityEnd > end) end = amp;
  }
  return `${s.slice(0, end).trimEnd()}…`;
}

/** Two digits. */
export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `2026-11-22 23:01` for an epoch-ms time (UTC), or `unknown` when it is not a valid time. */
export function utcMinute(ms: number): string {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) return 'unknown';
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** `2026-11-22 23:01 UTC`: the fallback every client can read when `<!date>` is not rendered. */
export function isoUtc(ms: number): string {
  const minute = utcMinute(ms);
  return minute === 'unknown' ? 'unknown time' : `${minute} UTC`;
}

/** `1 update` / `2 updates`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** A `<!date^…>` token so each reader sees the time in their own zone, with a UTC fallback. */
export function slackDate(ms: number, format = '{date_short_pretty} {time}'): string {
  if (!Number.isFinite(ms)) return isoUtc(ms);
  return `<!date^${Math.floor(ms / 1000)}^${format}|${isoUtc(ms)}>`;
}

const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

/** The user id of an escaped mention (`<@U123>` or `<@U123|name>`), or null when it is anything else. */
export function parseUserMention(s: string): string | null {
  const m = USER_MENTION.exec(s.trim());
  return m?.[1] ?? null;
}
