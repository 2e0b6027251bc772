/** The search for related incidents: earlier ones sharing an affected service or with a similar title. */
import { normalizeText } from '../markdown.js';
import type { RelatedCandidate } from './input.js';

/** A service name as compared across incidents: normalized and lowercase. */
export function serviceKey(s: string): string {
  return normalizeText(s).toLowerCase();
}

const STOP_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'of', 'in', 'on', 'at', 'to', 'for', 'from', 'by', 'with', 'without', 'into',
  'onto', 'over', 'under', 'after', 'before', 'during', 'while', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'it',
  'its', 'this', 'that', 'these', 'those', 'as', 'not', 'no', 'some', 'all', 'any', 'via', 'vs', 'our', 'we', 'us',
  'their', 'they', 'has', 'have', 'had', 'do', 'does', 'did', 'so', 'if', 'than', 'then', 'up', 'down', 'out',
]);

/** Lowercase word tokens of a title minus English stop words. */
export function titleTokens(title: string): Set<string> {
  const tokens = new Set<string>();
  for (const t of title.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (t !== '' && !STOP_WORDS.has(t)) tokens.add(t);
  }
  return tokens;
}

/** Jaccard similarity (0..1) of two titles' word tokens; 0 when either has none. */
export function titleSimilarity(a: string, b: string): number {
  const ta = titleTokens(a);
  const tb = titleTokens(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

/** Minimum title similarity for an incident without shared services to count as related. */
export const RELATED_TITLE_SIMILARITY = 0.4;

// Related: declared strictly before target, another id, and sharing an affected service (case-insensitive) or with a
// title similarity of at least RELATED_TITLE_SIMILARITY. Ranked by shared services, similarity, recency, then id.
/** Up to limit earlier incidents related to target (shared service or similar title), most related first. */
export function findRelated<T extends RelatedCandidate>(target: RelatedCandidate, candidates: readonly T[], limit = 5): T[] {
  const max = Math.floor(limit);
  if (!(max > 0)) return [];
  const targetServices = new Set(target.services.map(serviceKey).filter((s) => s !== ''));
  const targetTokens = titleTokens(target.title);
  const scored: { c: T; shared: number; sim: number }[] = [];
  for (const c of candidates) {
    if (c.id === target.id || !(c.declaredAt < target.declaredAt)) continue;
    const shared = new Set(c.services.map(serviceKey).filter((s) => targetServices.has(s))).size;
    const tokens = titleTokens(c.title);
    let common = 0;
    for (const t of tokens) if (targetTokens.has(t)) common++;
    const union = targetTokens.size + tokens.size - common;
    const sim = union === 0 || targetTokens.size === 0 || tokens.size === 0 ? 0 : common / union;
    if (shared > 0 || sim >= RELATED_TITLE_SIMILARITY) scored.push({ c, shared, sim });
  }
  scored.sort((a, b) => b.shared - a.shared || b.sim - a.sim || b.c.declaredAt - a.c.declaredAt || b.c.id - a.c.id);
  return scored.slice(0, max).map((s) => s.c);
}
