import fc from 'fast-check';
import type { MicromarkToken, Rule } from 'markdownlint';
import { lint } from 'markdownlint/sync';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_CELL,
  escapeBlock,
  escapeInline,
  escapeInlineParts,
  fencedBlock,
  headingText,
  link,
  normalizeText,
  safeUrl,
  table,
  tableRow,
} from '../../src/domain/markdown.js';

/** Parses markdown with markdownlint's own micromark setup and returns the token tree and the lint errors. */
function parse(markdown: string): { tokens: MicromarkToken[]; errors: string[] } {
  let tokens: MicromarkToken[] = [];
  const capture: Rule = {
    names: ['capture-tokens'],
    description: 'captures the micromark token tree',
    tags: ['test'],
    parser: 'micromark',
    function: (params) => {
      tokens = params.parsers.micromark.tokens;
    },
  };
  // Default rules except MD013 (line length): escaped one-line text is as long as the user made it.
  const result = lint({ strings: { doc: markdown }, config: { default: true, MD013: false }, customRules: [capture] });
  const errors = (result['doc'] ?? []).map((e) => `${e.lineNumber} ${e.ruleNames.join('/')} ${e.errorDetail ?? ''} ${e.errorContext ?? ''}`);
  return { tokens, errors };
}

/** Token type test that also accepts the GFM table types missing from markdownlint's type map. */
function is(token: MicromarkToken, type: string): boolean {
  return token.type === type;
}

function descendants(tokens: readonly MicromarkToken[]): MicromarkToken[] {
  const out: MicromarkToken[] = [];
  const walk = (ts: readonly MicromarkToken[]): void => {
    for (const t of ts) {
      out.push(t);
      walk(t.children);
    }
  };
  walk(tokens);
  return out;
}

/** Inline constructs that escaped text must never produce. */
const MARKUP = new Set([
  'emphasis', 'strong', 'link', 'image', 'labelStart', 'labelEnd', 'label', 'htmlText', 'htmlFlow', 'codeText', 'mathText',
  'literalAutolink', 'literalAutolinkEmail', 'literalAutolinkHttp', 'literalAutolinkWww', 'characterReference', 'hardBreakEscape',
  'hardBreakTrailing', 'gfmFootnoteCall', 'strikethrough',
]);
/** Leaves that are syntax rather than visible text. */
const SYNTAX_LEAVES = new Set(['escapeMarker', 'autolinkMarker', 'strongSequence']);

/** The document's top-level blocks, without line endings. */
function blocks(tokens: readonly MicromarkToken[]): string[] {
  return tokens.filter((t) => t.type !== 'lineEnding' && t.type !== 'lineEndingBlank').map((t) => t.type);
}

/** The visible text under a token: its leaves minus escape and autolink markers. */
function visibleText(token: MicromarkToken): string {
  if (token.children.length === 0) return SYNTAX_LEAVES.has(token.type) ? '' : token.text;
  return token.children.map(visibleText).join('');
}

function markupIn(tokens: readonly MicromarkToken[]): string[] {
  return descendants(tokens).filter((t) => MARKUP.has(t.type)).map((t) => `${t.type}: ${t.text}`);
}

const NASTY = [
  '|', '\\|', '\\', '\n', '\r\n', '\t', '`', '``', '```', '~~~', '~', '#', '# ', '##', '*', '**', '_', '__', '[', ']', '[x](y)',
  '![i](j)', '[^1]', '[a]: /b', '<', '>', '<!channel>', '<@U123>', '<div>', '</div>', '<br>', '<!-- c -->', '&amp;', '&lt;',
  '&copy;', '&#35;', '&#x41;', '&', 'https://example.com/a_(b)|c', 'http://x.io.', 'HTTPS://A.B/C', 'https://', 'www.example.com',
  'WWW.x.y', 'a@b.co', 'mailto:a@b.co', 'xmpp:a@b.co', '- ', '+ ', '* ', '1. ', '2) ', '123456789. ', '---', '===', '***',
  '> ', '$x$', '$$', '\\$', ':smile:', ':name[x]{y}', '\u0000', '\u0007', '\u001b[31m', '\u202e', '\u2028', '\ufeff', '\ufff9',
  '\u{13430}', '\u00a0', '\u200b', '\u3000', 'é', 'e\u0301', '😀', '👩‍💻', '中文', '\ud800', '\udc00', ' ', '  ', '.', ':', '!',
  '?', '。', '(a)[b]', 'snake_case', '_x_', 'a_', '_a', 'C#', ' #',
];
const text = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 3 })), { maxLength: 12 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

describe('normalizeText', () => {
  it('removes control and bidi characters, repairs lone surrogates, collapses whitespace', () => {
    expect(normalizeText('  a\tb\r\n\nc\u0000d\u202ee\u2028f \ud800 ')).toBe('a b cde f \ufffd');
  });
});

describe('escapeInline', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['p99 | p50', 'p99 \\| p50'],
    ['line one\nline two', 'line one line two'],
    ['`rm -rf`', '\\`rm -rf\\`'],
    ['# not a heading', '\\# not a heading'],
    ['fix for C# #', 'fix for C# \\#'],
    ['PR #4812', 'PR #4812'],
    ['*bold* and _em_ but snake_case', '\\*bold\\* and \\_em\\_ but snake_case'],
    ['[link](x) ![img](y)', '\\[link\\](x) !\\[img\\](y)'],
    ['<!channel> <b>hi</b>', '\\<!channel\\> \\<b\\>hi\\</b\\>'],
    ['R&D &amp; &#35; &copy;', 'R&D \\&amp; \\&#35; \\&copy;'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['1. item', '1\\. item'],
    ['12) item', '12\\) item'],
    ['=== ---', '\\=== ---'],
    ['> quote', '\\> quote'],
    ['~~~ ~~strike~~', '\\~\\~\\~ \\~\\~strike\\~\\~'],
    ['costs $5 or $10', 'costs \\$5 or \\$10'],
    ['back\\slash', 'back\\\\slash'],
    ['see https://grafana.acme.dev/d/abc?x=1&y=2.', 'see <https://grafana.acme.dev/d/abc?x=1&y=2>.'],
    ['(https://x.io/a)', '(<https://x.io/a>)'],
    ['ftp://files.acme.dev', 'ftp\\://files.acme.dev'],
    [':::note', '\\:::note'],
    ['www.acme.dev', 'www\\.acme.dev'],
    ['ops@acme.dev or @here', 'ops\\@acme.dev or @here'],
    ['\u0000\u0007', ''],
  ];
  it.each(cases)('%j → %j', (input, expected) => {
    expect(escapeInline(input)).toBe(expected);
  });

  it('keeps the visible text and adds no markup, at the start of a line', () => {
    fc.assert(
      fc.property(text, (t) => {
        const escaped = escapeInline(t);
        fc.pre(escaped !== '');
        const { tokens, errors } = parse(`# T\n\n${escaped}\n`);
        expect(errors).toEqual([]);
        expect(blocks(tokens)).toEqual(['atxHeading', 'content']);
        const content = tokens.find((x) => x.type === 'content') as MicromarkToken;
        expect(content.children.map((x) => x.type)).toEqual(['paragraph']);
        expect(markupIn([content])).toEqual([]);
        expect(descendants([content]).filter((x) => x.type === 'lineEnding')).toEqual([]);
        expect(visibleText(content)).toBe(normalizeText(t));
      }),
      { numRuns: 400 },
    );
  });

  it('keeps the visible text and adds no markup, inside a list item', () => {
    fc.assert(
      fc.property(text, (t) => {
        const { tokens, errors } = parse(`# T\n\n- **Label:** ${escapeInline(t) || EMPTY_CELL}\n`);
        expect(errors).toEqual([]);
        expect(blocks(tokens)).toEqual(['atxHeading', 'listUnordered']);
        const paragraphs = descendants(tokens).filter((x) => x.type === 'paragraph');
        expect(paragraphs).toHaveLength(1);
        expect(markupIn(paragraphs).filter((m) => !m.startsWith('strong'))).toEqual([]);
        const strong = descendants(paragraphs).filter((x) => x.type === 'strong');
        expect(strong.map((x) => x.text)).toEqual(['**Label:**']);
        expect(visibleText(paragraphs[0] as MicromarkToken)).toBe(`Label: ${normalizeText(t) || EMPTY_CELL}`);
      }),
      { numRuns: 300 },
    );
  });

  it('never changes the shape of a table', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 3, maxLength: 3 }), (cells) => {
        const md = ['# T', '', ...table(['A', 'B', 'C'], [cells.map(escapeInline), ['x', 'y', 'z']]), ''].join('\n');
        const { tokens, errors } = parse(md);
        expect(errors).toEqual([]);
        const rows = descendants(tokens).filter((x) => is(x, 'tableRow'));
        expect(rows).toHaveLength(3);
        for (const row of rows) expect(row.children.filter((c) => is(c, 'tableData') || is(c, 'tableHeader'))).toHaveLength(3);
        const first = rows[1] as MicromarkToken;
        const contents = descendants([first]).filter((c) => is(c, 'tableContent')).map(visibleText);
        expect(contents).toEqual(cells.map((c) => normalizeText(c) || EMPTY_CELL));
        expect(markupIn(tokens)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('headingText', () => {
  it('drops trailing punctuation markdownlint refuses in headings', () => {
    expect(headingText('Checkout is down!!! ...')).toBe('Checkout is down');
    expect(headingText('Is checkout down?')).toBe('Is checkout down?');
    expect(headingText('Upgrade to C#')).toBe('Upgrade to C\\#');
    expect(headingText('...')).toBe('');
  });

  it('always yields one clean heading with the same text', () => {
    fc.assert(
      fc.property(text, (t) => {
        const h = headingText(t);
        const { tokens, errors } = parse(`# INC-1 Postmortem${h === '' ? '' : `: ${h}`}\n`);
        expect(errors).toEqual([]);
        expect(blocks(tokens)).toEqual(['atxHeading']);
        expect(markupIn(tokens)).toEqual([]);
        const headingTextToken = descendants(tokens).find((x) => x.type === 'atxHeadingText') as MicromarkToken;
        expect(normalizeText(t).startsWith(visibleText(headingTextToken).slice('INC-1 Postmortem: '.length))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe('escapeBlock', () => {
  it('keeps paragraphs, joins lines within one', () => {
    expect(escapeBlock('First line\nsecond line\n\n\n- not a list\r\n\r\n   \n# not a heading')).toBe(
      'First line second line\n\n\\- not a list\n\n\\# not a heading',
    );
    expect(escapeBlock('\n\n  \n')).toBe('');
  });

  it('produces only top-level paragraphs', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 5 }).map((a) => a.join('\n')), (t) => {
        const block = escapeBlock(t);
        fc.pre(block !== '');
        const { tokens, errors } = parse(`# T\n\n${block}\n`);
        expect(errors).toEqual([]);
        const paragraphs = block.split('\n\n').length;
        expect(blocks(tokens)).toEqual(['atxHeading', ...Array<string>(paragraphs).fill('content')]);
        expect(tokens.filter((x) => x.type === 'content').every((c) => c.children.every((p) => p.type === 'paragraph'))).toBe(true);
        expect(markupIn(tokens.filter((x) => x.type === 'content'))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('safeUrl and link', () => {
  it('accepts http(s) URLs and percent-encodes what could end a link or a table cell', () => {
    expect(safeUrl('https://acme.slack.com/archives/C1/p1795389480000100')).toBe('https://acme.slack.com/archives/C1/p1795389480000100');
    expect(safeUrl(' https://x.io/a b|c(d)<e>`f\\é ')).toBe('https://x.io/a%20b%7Cc%28d%29%3Ce%3E%60f%5C%C3%A9');
    expect(safeUrl('HTTP://X.IO')).toBe('HTTP://X.IO');
    expect(safeUrl('https://x.io/?a=1&b=2&amp;c&#35;')).toBe('https://x.io/?a=1&b=2\\&amp;c\\&#35;');
  });

  it('refuses everything else', () => {
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '//x.io', 'https://', 'https:// x', 'mailto:a@b.co', '']) {
      expect(safeUrl(bad)).toBeNull();
    }
  });

  it('always yields exactly one link with the same label', () => {
    fc.assert(
      fc.property(text, (t) => {
        const md = link('message', `https://acme.slack.com/archives/C1/p1?q=${t}`);
        const { tokens, errors } = parse(`# T\n\n${tableRow(['Details'])}\n${tableRow(['---'])}\n${tableRow([md])}\n`);
        expect(errors).toEqual([]);
        const links = descendants(tokens).filter((x) => x.type === 'link');
        expect(links).toHaveLength(1);
        expect(descendants(tokens).filter((x) => is(x, 'tableData'))).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
  });

  it('falls back to the escaped label when the URL is unsafe', () => {
    expect(link('*label*', 'javascript:x')).toBe('\\*label\\*');
    expect(link('', 'javascript:x')).toBe('javascript:x');
  });

  it('keeps link text descriptive (markdownlint MD059) and never nests links', () => {
    expect(link('here', 'https://x.io/a')).toBe('here (<https://x.io/a>)');
    expect(link('Click here!', 'https://x.io/a')).toBe('Click here! (<https://x.io/a>)');
    expect(link('', 'https://x.io/a')).toBe('<https://x.io/a>');
    expect(link('here', 'https://x.io/&#35;')).toBe('here (<https://x.io/&#35;>)');
    expect(link('# runbook, see https://y.io', 'https://x.io/a')).toBe('[# runbook, see https\\://y.io](https://x.io/a)');
  });
});

describe('escapeInlineParts', () => {
  it('joins text and links with the spacing of the source', () => {
    expect(escapeInlineParts(['see ', { label: 'the dashboard', url: 'https://x.io/d' }, ', then *act*'])).toBe(
      'see [the dashboard](https://x.io/d), then \\*act\\*',
    );
    expect(escapeInlineParts(['a', { label: '', url: 'javascript:x' }, ' ', { label: 'b', url: 'https://x.io' }, '  '])).toBe(
      'ajavascript:x [b](https://x.io)',
    );
    expect(escapeInlineParts(['- list?', { label: 'x', url: 'https://x.io' }, '- not a list'])).toBe('\\- list?[x](https://x.io)- not a list');
    expect(escapeInlineParts([' \u0000 '])).toBe('');
    // Before a link: `!` would make an image, `:name` a directive; an autolink or an escaped colon is left alone.
    const x = { label: 'x', url: 'https://x.io' };
    expect(escapeInlineParts(['wow!', x])).toBe('wow\\![x](https://x.io)');
    expect(escapeInlineParts([':smile:😀', x])).toBe(':smile\\:😀[x](https://x.io)');
    expect(escapeInlineParts(['ftp://host', x])).toBe('ftp\\://host[x](https://x.io)');
    expect(escapeInlineParts([{ label: '', url: 'https://x.io/a:b' }, x])).toBe('<https://x.io/a:b>[x](https://x.io)');
  });

  it('stays one line of text and links whatever the parts', () => {
    const part = fc.oneof(text, fc.record({ label: text, url: fc.oneof(text, text.map((t) => `https://x.io/${t}`)) }));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 5 }), (parts) => {
        const md = escapeInlineParts(parts);
        fc.pre(md !== '');
        const { tokens, errors } = parse(`# T\n\n${md}\n\n${tableRow(['H'])}\n${tableRow(['---'])}\n${tableRow([md])}\n`);
        expect(errors).toEqual([]);
        expect(blocks(tokens)).toEqual(['atxHeading', 'content', 'table']);
        const markup = markupIn(tokens).filter((m) => !/^(link|label|labelStart|labelEnd): /.test(m));
        expect(markup).toEqual([]);
        const links = descendants(tokens).filter((x) => x.type === 'link').length;
        const expected = parts.filter((p) => typeof p !== 'string' && safeUrl(p.url) !== null && normalizeText(p.label) !== '' && !/\(<https?:[^>]*>\)$/.test(link(p.label, p.url))).length;
        expect(links).toBe(2 * expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('tables', () => {
  it('renders compact rows and shows empty cells as an em dash', () => {
    expect(tableRow(['a', '', 'c'])).toBe('| a | — | c |');
    expect(table(['A', 'B'], [['1', '2']])).toEqual(['| A | B |', '| --- | --- |', '| 1 | 2 |']);
  });
});

describe('fencedBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(fencedBlock('mermaid', 'gantt\n    title x')).toBe('```mermaid\ngantt\n    title x\n```');
    expect(fencedBlock('text', 'a ```` b')).toBe('`````text\na ```` b\n`````');
  });

  it('contains arbitrary text in exactly one code block', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 5 }).map((a) => a.join('\n')), (body) => {
        const { tokens, errors } = parse(`# T\n\n${fencedBlock('text', body)}\n`);
        // MD014 (shell prompts `$ cmd` without output) judges what a snippet says, not the document's structure;
        // fencedBlock carries its body verbatim, so a body of `$ …` lines may trip it. Every other rule must pass.
        expect(errors.filter((e) => !/ MD014\//.test(e))).toEqual([]);
        expect(blocks(tokens)).toEqual(['atxHeading', 'codeFenced']);
      }),
      { numRuns: 200 },
    );
  });
});
