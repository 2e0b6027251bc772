/** Durations as operators and users write them: `30s`, `15m`, `1h`, `2d`, or `off`. */

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `30s`/`15m`/`1h`/`2d` (or `off` when allowed) to milliseconds; null for `off`; undefined when malformed. */
export function parseDuration(text: string, allowOff = true): number | null | undefined {
  const t = text.trim().toLowerCase();
  if (allowOff && t === 'off') return null;
  const m = /^(\d{1,6})\s*(s|m|h|d)$/.exec(t);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n <= 0) return undefined;
  return n * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** Formats milliseconds as the largest whole unit that fits, e.g. 5400000 → `1h 30m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const parts: string[] = [];
  let rest = Math.floor(ms / 1000);
  const d = Math.floor(rest / 86400); rest -= d * 86400;
  const h = Math.floor(rest / 3600); rest -= h * 3600;
  const m = Math.floor(rest / 60); rest -= m * 60;
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (rest && parts.length < 2) parts.push(`${rest}s`);
  return parts.slice(0, 2).join(' ');
}
