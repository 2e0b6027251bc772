/** People as the bot knows them outside Slack: a name to show and a time zone, looked up once and kept. */

/** A workspace member as last fetched from Slack. */
export interface Person {
  userId: string;
  /** Display name, else real name, else the handle. */
  name: string;
  /** IANA zone (`Europe/Berlin`), null when Slack did not say. */
  tz: string | null;
  /** Offset from UTC in seconds when fetched; used only when the zone name is unknown to this runtime. */
  tzOffsetSec: number | null;
  fetchedAt: number;
}

/** After this long a stored person is looked up again (names and zones change, rarely). */
export const PERSON_STALE_MS = 24 * 60 * 60 * 1000;

const USER_ID_RE = /^[UW][A-Z0-9]{2,}$/;
const MENTION_RE = /<@([UW][A-Z0-9]{2,})(?:\|[^<>]*)?>/g;

/** Whether `id` looks like a Slack user id. */
export function isUserId(id: string): boolean {
  return USER_ID_RE.test(id);
}

/** User ids mentioned in Slack text (`<@U123>`, `<@U123|name>`), each once. */
export function mentionedUsers(text: string): string[] {
  if (!text.includes('<@')) return [];
  return [...new Set([...text.matchAll(MENTION_RE)].map((m) => m[1] as string))];
}

/** Whether a stored person should be fetched again at `now`. */
export function isStale(person: Person | null, now: number): boolean {
  return person === null || now - person.fetchedAt >= PERSON_STALE_MS;
}

/** The name to show from Slack's user fields: display name, else real name, else the handle; null when all are blank. */
export function pickName(fields: { displayName?: string | null; realName?: string | null; handle?: string | null }): string | null {
  for (const n of [fields.displayName, fields.realName, fields.handle]) {
    const t = n?.trim();
    if (t) return t;
  }
  return null;
}
