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
/** What a control character becomes: a space if it separated words, else nothing. */
const controlReplacement = (c: string): string => (SPACING_CONTROLS.has(c) ? ' ' : '');
const WHITESPACE_RUN_RE = /\s+/g;
// http(s) URLs become `<…>` autolinks; they stop at characters an autolink or a table cell cannot hold, and at brackets.
const URL_RE = /https?:\/\/[^\s<>|\\`"[\]]+/gi;
// Characters that end a sentence rather than a URL (GFM autolink literals drop them the same way).
const URL_TRAILING_RE = /[.,:;!?'")\]}*_~]+$/;
// An `&` followed by one of these would be read as an HTML character reference.
const ENTITY_TAIL_RE = /^(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/;
const ENTITY_AMP_RE = /&(?=(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});)/g;
// Trailing punctuation markdownlint (MD026) refuses at the end of a heading.
const HEADING_TRAILING_RE = /[\s.,;:!。，；：！]+$/u;

// Characters normalizeText may have to change (surrogates are checked by the slow path, paired or not).
const NEEDS_NORMALIZING_RE =
  /[\u0000-\u001F\u007F-\u00A0\u1680\u2000-\u200F\u2028-\u202F\u205F\u2066-\u2069\u3000\uFEFF\uFFF9-\uFFFB\uD800-\uDFFF]/;

/** Whether normalization could change text, apart from one leading or trailing space when edges are kept. */
function needsNormalizing(text: string, keepEdges: boolean): boolean {
  return (
    NEEDS_NORMALIZING_RE.test(text) ||
    text.includes('  ') ||
    (!keepEdges && text !== '' && (text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32))
  );
}

/** Makes text safe to handle: well-formed Unicode, no control or bidi characters, whitespace collapsed to single spaces, trimmed. */
export function normalizeText(text: string): string {
  if (!needsNormalizing(text, false)) return text;
  return text
    .replace(LONE_SURROGATE_RE, '\uFFFD')
    .replace(CONTROL_RE, controlReplacement)
    .replace(WHITESPACE_RUN_RE, ' ')
    .trim();
}

// Characters escapeRange has to look at; everything else is copied as is.
const SPECIAL_RE = /[\\`*[\]<>|~$_#&@:.]/g;
// What escapeRange would escape, in one test: the always-escaped characters, `_` not between alphanumerics, `@` after
// a non-space, `&` starting a character reference, `://` (also in every URL autolink) and `www.`. Every alternative
// starts with its own character, so the scan stays cheap; a trailing `#` is checked apart. Most log lines match nothing.
const NEEDS_ESCAPE_RE =
  /[\\`*[\]<>|~$]|_(?:(?<![A-Za-z0-9]_)|(?![A-Za-z0-9]))|@(?<=[^ ]@)|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});|:\/\/|www\./i;

function isAlnumCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Escapes s[from, to) of normalized text; s is the whole string so neighbours can be inspected. */
function escapeRange(s: string, from: number, to: number, closingHashes: number): string {
  let out = '';
  let plainStart = from;
  SPECIAL_RE.lastIndex = from;
  for (let m = SPECIAL_RE.exec(s); m !== null && m.index < to; m = SPECIAL_RE.exec(s)) {
    const i = m.index;
    const c = m[0];
    let escape: boolean;
    switch (c) {
      case '_':
        // `snake_case` is inert (intraword underscores never make emphasis); any other `_` is escaped.
        escape = !(isAlnumCode(s.charCodeAt(i - 1)) && isAlnumCode(s.charCodeAt(i + 1)));
        break;
      case '#':
        // A trailing run of `#` would close a heading (a leading one is handled by guardLineStart).
        escape = i >= closingHashes;
        break;
      case '&':
        escape = ENTITY_TAIL_RE.test(s.slice(i + 1, i + 42));
        break;
      case '@':
        // `name@example.com` would become an e-mail autolink (markdownlint MD034); `@here` stays as is.
        escape = i > 0 && s[i - 1] !== ' ';
        break;
      case ':':
        // `scheme://` outside a recognised URL would still become a bare-URL autolink.
        escape = s[i + 1] === '/' && s[i + 2] === '/';
        break;
      case '.':
        // `www.` starts an autolink literal.
        escape = i >= 3 && s.slice(i - 3, i).toLowerCase() === 'www';
        break;
      default:
        // Code, links, HTML, tables, emphasis, math, strikethrough and escapes themselves.
        escape = true;
    }
    if (escape) {
      out += `${s.slice(plainStart, i)}\\${c}`;
      plainStart = i + 1;
    }
  }
  return out + s.slice(plainStart, to);
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

/** Escapes untrusted text as one line of inline Markdown that cannot break a table, list, heading or fence; URLs become `<…>`. */
export function escapeInline(text: string): string {
  return escapeText(normalizeText(text), false, true, true);
}

/**
 * Escapes normalized text. heading: any trailing `#` run counts as a closing sequence; autolink: http(s) URLs become
 * `<…>`; lineStart: the text may begin a line.
 */
function escapeText(s: string, heading: boolean, autolink: boolean, lineStart: boolean): string {
  if (s === '') return '';
  // Fast path: nothing to escape (a trailing `#` may close a heading: slow path), so the text is its own Markdown apart
  // from what would open a block at a line start.
  if (!heading && s.charCodeAt(s.length - 1) !== 35 && !NEEDS_ESCAPE_RE.test(s)) return lineStart ? guardLineStart(s) : s;
  const closingHashes = closingHashStart(s, heading);
  let md = '';
  let last = 0;
  if (autolink && s.includes('://')) {
    for (const m of s.matchAll(URL_RE)) {
      const start = m.index;
      if (start < last) continue;
      const url = m[0].replace(URL_TRAILING_RE, '');
      if (!/^https?:\/\/./i.test(url)) continue;
      md += `${escapeRange(s, last, start, closingHashes)}<${url}>`;
      last = start + url.length;
    }
  }
  md += escapeRange(s, last, s.length, closingHashes);
  return lineStart ? guardLineStart(md) : md;
}

/**
 * Escapes what would open a block if the (already escaped) text began a line: `#` heading, `-` `+` list item or
 * thematic break, `=` setext underline, `1.` `1)` ordered list, `::` directive (to markdownlint's parser).
 */
function guardLineStart(md: string): string {
  const c = md[0];
  if (c === '#' || c === '-' || c === '+' || c === '=') return `\\${md}`;
  if (c === ':' && md[1] === ':') return `\\${md}`;
  if (c !== undefined && c >= '0' && c <= '9') return md.replace(/^([0-9]{1,9})([.)])/, '$1\\$2');
  return md;
}

// An unescaped `:` followed by a would-be directive name (markdownlint's parser reads `:name[label]` as a directive).
const DIRECTIVE_TAIL_RE = /((?:^|[^\\])(?:\\\\)*):((?:[\w-]|[^\x00-\x7F])*)$/;

/** A piece of inline content: plain text, or a link with its label and URL. */
export type InlinePart = string | { label: string; url: string };

/** Normalizes like normalizeText but keeps one leading/trailing space, so adjacent parts stay apart. */
function normalizeKeepingEdges(text: string): string {
  if (!needsNormalizing(text, true)) return text;
  return text.replace(LONE_SURROGATE_RE, '\uFFFD').replace(CONTROL_RE, controlReplacement).replace(WHITESPACE_RUN_RE, ' ');
}

/** Escapes plain text and links as one line of inline Markdown, keeping the spacing between parts. */
export function escapeInlineParts(parts: readonly InlinePart[]): string {
  if (parts.length === 1 && typeof parts[0] === 'string') return escapeInline(parts[0]);
  let out = '';
  let space = false;
  for (const part of parts) {
    const raw = normalizeKeepingEdges(typeof part === 'string' ? part : part.label);
    const md = typeof part === 'string' ? escapeText(raw.trim(), false, true, false) : link(part.label, part.url);
    if (md === '') {
      space ||= raw.includes(' ');
      continue;
    }
    if (out !== '' && (space || (typeof part === 'string' && raw.startsWith(' ')))) {
      out += ' ';
    } else if (md.startsWith('[')) {
      // Right before a link, `!` would make it an image and `:name` a directive (which markdownlint parses).
      out = out.replace(/!$/, '\\!').replace(DIRECTIVE_TAIL_RE, '$1\\:$2');
    }
    out += md;
    space = typeof part === 'string' && raw.endsWith(' ');
  }
  return guardLineStart(out);
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
  return escapeText(normalizeText(text).replace(HEADING_TRAILING_RE, ''), true, true, false);
}

const URL_SAFE_RE = /^[A-Za-z0-9\-._~:/?#@!$&+,;=%*]$/;
// An http(s) URL with nothing to encode.
const PLAIN_HREF_RE = /^https?:\/\/[A-Za-z0-9\-._~:?#@!$&+,;=%*][A-Za-z0-9\-._~:/?#@!$&+,;=%*]*$/i;

const hexEscape = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

/** Percent-encodes one code point as UTF-8, including the characters encodeURIComponent leaves alone. */
function percentEncode(ch: string): string {
  return encodeURIComponent(ch).replace(/[!'()*]/g, hexEscape);
}

/** An http(s) URL with risky characters percent-encoded, fit for a `<…>` autolink; null if it is not one. */
function safeHref(url: string): string | null {
  if (PLAIN_HREF_RE.test(url)) return url;
  const s = url.replace(LONE_SURROGATE_RE, '\uFFFD').replace(CONTROL_RE, '').trim();
  if (!/^https?:\/\/[^\s/]/i.test(s)) return null;
  let out = '';
  for (const ch of s) {
    out += URL_SAFE_RE.test(ch) ? ch : percentEncode(ch);
  }
  return out;
}

/** An http(s) URL made safe as a link destination `(…)` (risky characters percent-encoded), or null if it is not one. */
export function safeUrl(url: string): string | null {
  const href = safeHref(url);
  return href === null ? null : href.replace(ENTITY_AMP_RE, '\\&');
}

// Link texts markdownlint (MD059) refuses as not descriptive, normalized the way it normalizes them.
const VAGUE_LINK_TEXTS = new Set(['click here', 'here', 'link', 'more']);

/** A link `[label](url)` to a safe http(s) URL (`<url>` unlabelled, `here (<url>)` for vague labels), else the plain label. */
export function link(label: string, url: string): string {
  const href = safeHref(url);
  const plain = normalizeText(label);
  // Outside brackets the label may start a line (lineStart); inside, nothing it starts with can open a block.
  if (href === null) return escapeText(plain, false, false, true) || escapeText(normalizeText(url), false, false, true);
  const text = escapeText(plain, false, false, false);
  if (text === '') return `<${href}>`;
  const vague = VAGUE_LINK_TEXTS.has(text.replace(/[\W_]+/g, ' ').replace(/\s+/g, ' ').toLowerCase().trim());
  return vague ? `${escapeText(plain, false, false, true)} (<${href}>)` : `[${text}](${href.replace(ENTITY_AMP_RE, '\\&')})`;
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
