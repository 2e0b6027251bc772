/** Incident channel names: always valid for Slack, whatever the title, so naming never blocks a declaration. */

/** Slack's hard limit on channel name length. */
export const MAX_CHANNEL_NAME = 80;

// Letters NFKD does not decompose but that readers expect transliterated.
const EXTRA_LETTERS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't',
};

/** Lowercase ASCII slug of free text: accents dropped, every other run of characters becomes one `-`. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæœøđðłþıħŧ]/g, (c) => EXTRA_LETTERS[c] ?? '-')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

// Cutting at a dash keeps whole words, unless that would throw away more than half the room.
function cutSlug(slug: string, room: number): string {
  if (slug.length <= room) return slug;
  if (room <= 0) return '';
  let cut = slug.slice(0, room);
  if (slug[room] !== '-') {
    const dash = cut.lastIndexOf('-');
    if (dash >= room / 2) cut = cut.slice(0, dash);
  }
  return cut.replace(/-+$/, '');
}

/** `inc-<n>-<slug>`, at most 80 characters; `attempt` > 0 adds `-2`, `-3`… for when a name is taken. */
export function channelName(incidentId: number, title: string, attempt = 0): string {
  if (!Number.isSafeInteger(incidentId) || incidentId < 0) throw new RangeError(`incident id must be a non-negative integer, got ${incidentId}`);
  if (!Number.isSafeInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  const prefix = `inc-${incidentId}`;
  const suffix = attempt > 0 ? `-${attempt + 1}` : '';
  const slug = cutSlug(slugify(title), MAX_CHANNEL_NAME - prefix.length - suffix.length - 1);
  return slug ? `${prefix}-${slug}${suffix}` : `${prefix}${suffix}`;
}

/** Whether Slack would accept the name as is: 1–80 characters of `a-z`, `0-9`, `-`, `_`. */
export function isValidChannelName(s: string): boolean {
  return s.length >= 1 && s.length <= MAX_CHANNEL_NAME && /^[a-z0-9_-]+$/.test(s);
}
