/** Safe GitHub-flavoured Markdown building blocks: escaping of untrusted text, tables, links and fenced blocks. */

/** What a table cell or list value shows when there is nothing to show. */
export const EMPTY_CELL = '—';

// Unpaired UTF-16 surrogates (not valid Unicode; replaced by U+FFFD).
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Control characters and invisible format marks: bidi overrides can disguise text, a BOM confuses tools, and the
// interlinear-annotation and hieroglyph format controls (U+FFF9–FFFB, U+13430–1343F) crash markdownlint's width code.
const CONTROL_RE =
  /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF\uFFF9-\uFFFB]|\uD80D[\uDC30-\uDC3F]/g;
// Those control characters that separate words and so become a space rather than vanish.
const SPACING_CONTROLS = new Set(['\t', '\n', '\v', '\f', '\r', '\u0085', '\u2028', '\u2029']);
const WHITESPACE_RUN_RE = /\s+/g;
// http(s) URLs become `<…>` autolinks; they stop at characters an autolink or a table cell cannot hold, and at brackets.
const URL_RE = /https?:\/\/[^\s<>|\\`"[\]]+/gi;
// Characters that end a sentence rather than a URL (GFM autolink literals drop them the same way).
const URL_TRAILING_RE = /[.,:;!?'")\]}*_~]+$/;
// An `&` followed by one of these would be read as an HTML character reference.
const ENTITY_TAIL_RE = /^(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/;
// Characters that are always backslash-escaped: they open code, links, HTML, tables, emphasis, math or strikethrough.
const ALWAYS_ESCAPED = new Set(['\\', '`', '*', '[', ']', '<', '>', '|', '~', '$']);
// Trailing punctuation markdownlint (MD026) refuses at the end of a heading.
const HEADING_TRAILING_RE = /[\s.,;:!。，；：！]+$/u;
const ALNUM_RE = /^[A-Za-z0-9]$/;

/** Makes text safe to handle: well-formed Unicode, no control or bidi characters, whitespace collapsed to single spaces, trimmed. */
export function normalizeText(text: string): string {
  return text
    .replace(LONE_SURROGATE_RE, '\uFFFD')
    .replace(CONTROL_RE, (c) => (SPACING_CONTROLS.has(c) ? ' ' : ''))
    .replace(WHITESPACE_RUN_RE, ' ')
    .trim();
}

function isSpace(c: string | undefined): boolean {
  return c === undefined || c === ' ';
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && ALNUM_RE.test(c);
}

/** Escapes s[from, to) of normalized text into out; s is the whole string so neighbours can be inspected. */
function escapeRange(out: string[], s: string, from: number, to: number, closingHashes: number): void {
  let plainStart = from;
  const flush = (i: number): void => {
    if (i > plainStart) out.push(s.slice(plainStart, i));
  };
  for (let i = from; i < to; i++) {
    const c = s[i] as string;
    let replacement: string | null = null;
    if (ALWAYS_ESCAPED.has(c)) {
      replacement = `\\${c}`;
    } else if (c === '_') {
      // `snake_case` is inert (intraword underscores never make emphasis); any other `_` is escaped.
      if (!(isAlnum(s[i - 1]) && isAlnum(s[i + 1]))) replacement = '\\_';
    } else if (c === '#') {
      // A leading `#` would start a heading; a trailing run of `#` after a space would close one.
      if (i === 0 || i >= closingHashes) replacement = '\\#';
    } else if (c === '&') {
      if (ENTITY_TAIL_RE.test(s.slice(i + 1, i + 42))) replacement = '\\&';
    } else if (c === '@') {
      // `name@example.com` would become an e-mail autolink (markdownlint MD034); `@here` stays as is.
      if (!isSpace(s[i - 1])) replacement = '\\@';
    } else if (c === ':') {
      // `scheme://` outside a recognised URL would still become a bare-URL autolink.
      if (s[i + 1] === '/' && s[i + 2] === '/') replacement = '\\:';
    } else if (c === '.') {
      // `www.` starts an autolink literal; `1.` at the start would start an ordered list.
      if (i >= 3 && s.slice(i - 3, i).toLowerCase() === 'www') replacement = '\\.';
      else if (i > 0 && i <= 9 && /^[0-9]+$/.test(s.slice(0, i))) replacement = '\\.';
    } else if (c === ')') {
      if (i > 0 && i <= 9 && /^[0-9]+$/.test(s.slice(0, i))) replacement = '\\)';
    } else if (i === 0 && (c === '-' || c === '+' || c === '=')) {
      // Would start a list item, a thematic break or a setext underline.
      replacement = `\\${c}`;
    }
    if (replacement !== null) {
      flush(i);
      out.push(replacement);
      plainStart = i + 1;
    }
  }
  flush(to);
}

/**
 * Start of a trailing `#` run that a heading would read as its closing sequence (s.length when there is none). In
 * headings any trailing run counts: markdownlint (MD020) reads `# Title#` as a closed heading missing a space.
 */
function closingHashStart(s: string, heading: boolean): number {
  let k = s.length;
  while (k > 0 && s[k - 1] === '#') k--;
  return k < s.length && (heading || k === 0 || s[k - 1] === ' ') ? k : s.length;
}

/**
 * Escapes untrusted text for inline use (table cells, list items, headings, paragraphs): one line, no markup,
 * nothing that can break a table, heading or fence; http(s) URLs become `<…>` autolinks. For heading text use headingText.
 */
export function escapeInline(text: string): string {
  return escapeText(normalizeText(text), false, true);
}

/** Escapes normalized text; heading: treat any trailing `#` run as a closing sequence; autolink: wrap http(s) URLs in `<…>`. */
function escapeText(s: string, heading: boolean, autolink: boolean): string {
  if (s === '') return '';
  const out: string[] = [];
  const closingHashes = closingHashStart(s, heading);
  let last = 0;
  if (autolink) {
    for (const m of s.matchAll(URL_RE)) {
      const start = m.index;
      if (start < last) continue;
      const url = m[0].replace(URL_TRAILING_RE, '');
      if (!/^https?:\/\/./i.test(url)) continue;
      escapeRange(out, s, last, start, closingHashes);
      out.push('<', url, '>');
      last = start + url.length;
    }
  }
  escapeRange(out, s, last, s.length, closingHashes);
  return out.join('');
}

/** A piece of inline content: plain text, or a link with its label and URL. */
export type InlinePart = string | { label: string; url: string };

/** Normalizes like normalizeText but keeps one leading/trailing space, so adjacent parts stay apart. */
function normalizeKeepingEdges(text: string): string {
  return text.replace(LONE_SURROGATE_RE, '\uFFFD').replace(CONTROL_RE, (c) => (SPACING_CONTROLS.has(c) ? ' ' : '')).replace(WHITESPACE_RUN_RE, ' ');
}

/** Escapes plain text and links as one line of inline Markdown, keeping the spacing between parts. */
export function escapeInlineParts(parts: readonly InlinePart[]): string {
  let out = '';
  let space = false;
  for (const part of parts) {
    const raw = normalizeKeepingEdges(typeof part === 'string' ? part : part.label);
    const md = typeof part === 'string' ? escapeText(raw.trim(), false, true) : link(part.label, part.url);
    if (md === '') {
      space ||= raw.includes(' ');
      continue;
    }
    if (out !== '' && (space || (typeof part === 'string' && raw.startsWith(' ')))) out += ' ';
    out += md;
    space = typeof part === 'string' && raw.endsWith(' ');
  }
  return out;
}

/** Escapes untrusted multi-line text as top-level paragraphs (blank lines separate paragraphs; lines within one are joined). */
export function escapeBlock(text: string, inline: (paragraph: string) => string = escapeInline): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => inline(p))
    .filter((p) => p !== '')
    .join('\n\n');
}

/** Escaped heading text: like escapeInline, minus the trailing punctuation headings must not end with. */
export function headingText(text: string): string {
  return escapeText(normalizeText(text).replace(HEADING_TRAILING_RE, ''), true, true);
}

const URL_SAFE_RE = /^[A-Za-z0-9\-._~:/?#@!$&+,;=%*]$/;

/** Percent-encodes one code point as UTF-8, including the characters encodeURIComponent leaves alone. */
function percentEncode(ch: string): string {
  return encodeURIComponent(ch).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** An http(s) URL made safe as a Markdown link destination (risky characters percent-encoded), or null if it is not one. */
export function safeUrl(url: string): string | null {
  const s = url.replace(LONE_SURROGATE_RE, '\uFFFD').replace(CONTROL_RE, '').trim();
  if (!/^https?:\/\/[^\s/]/i.test(s)) return null;
  let out = '';
  for (const ch of s) {
    out += URL_SAFE_RE.test(ch) ? ch : percentEncode(ch);
  }
  return out;
}

// Link texts markdownlint (MD059) refuses as not descriptive, normalized the way it normalizes them.
const VAGUE_LINK_TEXTS = new Set(['click here', 'here', 'link', 'more']);

/**
 * An inline link `[label](url)` with a safe destination; `<url>` without a label, `label (<url>)` when the label says
 * nothing ("here"), and just the escaped label (or URL) when the URL is not a safe http(s) URL.
 */
export function link(label: string, url: string): string {
  const dest = safeUrl(url);
  const text = escapeText(normalizeText(label), false, false);
  if (dest === null) return text || escapeText(normalizeText(url), false, false);
  if (text === '') return `<${dest}>`;
  const vague = VAGUE_LINK_TEXTS.has(text.replace(/[\W_]+/g, ' ').replace(/\s+/g, ' ').toLowerCase().trim());
  return vague ? `${text} (<${dest}>)` : `[${text}](${dest})`;
}

/** One table row from already-escaped cells: `| a | b |`; empty cells show an em dash. */
export function tableRow(cells: readonly string[]): string {
  let row = '|';
  for (const cell of cells) row += ` ${cell === '' ? EMPTY_CELL : cell} |`;
  return row;
}

/** A GFM table (header, delimiter row, body rows) as lines, from already-escaped cells. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const lines = new Array<string>(rows.length + 2);
  lines[0] = tableRow(header);
  lines[1] = tableRow(header.map(() => '---'));
  for (let i = 0; i < rows.length; i++) lines[i + 2] = tableRow(rows[i] as readonly string[]);
  return lines;
}

/** A fenced code block whose fence is longer than any backtick run inside; tabs become spaces, trailing spaces go. */
export function fencedBlock(lang: string, body: string): string {
  const lines = body
    .replace(LONE_SURROGATE_RE, '\uFFFD')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF\uFFF9-\uFFFB]|\uD80D[\uDC30-\uDC3F]/g, '')
    .split('\n')
    .map((l) => l.trimEnd());
  let longest = 0;
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const info = lang.replace(/[^A-Za-z0-9_+-]/g, '');
  return [`${fence}${info}`, ...lines, fence].join('\n');
}
