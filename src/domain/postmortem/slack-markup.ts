/** Slack message markup (mentions, channel links, `<url|label>`, entities) turned into plain text and links, for Markdown and plain-text inputs. */
import type { InlinePart } from '../markdown.js';

// A Slack markup token: `<@U1>`, `<#C1|name>`, `<!here>`, `<https://…|label>`.
const SLACK_TOKEN_RE = /<([^<>\n]*)>/g;

const SLACK_ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };

const decodeSlackEntity = (e: string): string => SLACK_ENTITIES[e] ?? e;

function decodeSlackEntities(text: string): string {
  return text.includes('&') ? text.replace(/&(?:lt|gt|amp);/g, decodeSlackEntity) : text;
}

// Slack mrkdwn: `<@U1>` → `@name`, `<#C1|ops>` → `#ops`, `<!here>` → `@here`, `<url|label>` → a link, and Slack's
// `&lt;` `&gt;` `&amp;` decoded; anything else stays as written.
/** Splits Slack mrkdwn into plain text (mentions resolved, entities decoded) and links. */
export function slackToParts(text: string, nameOf: (userId: string) => string = (id) => `@${id}`): InlinePart[] {
  if (!text.includes('<')) return [decodeSlackEntities(text)];
  const parts: InlinePart[] = [];
  let plain = '';
  let last = 0;
  // exec with lastIndex set before each call (not matchAll, which clones the RegExp on every call); setting it each time
  // keeps this right even if nameOf ends up here again.
  for (;;) {
    SLACK_TOKEN_RE.lastIndex = last;
    const m = SLACK_TOKEN_RE.exec(text);
    if (m === null) break;
    plain += decodeSlackEntities(text.slice(last, m.index));
    last = m.index + m[0].length;
    const inner = m[1] as string;
    const bar = inner.indexOf('|');
    const head = bar < 0 ? inner : inner.slice(0, bar);
    const label = decodeSlackEntities(bar < 0 ? '' : inner.slice(bar + 1));
    if (head.startsWith('@') && head.length > 1) {
      const id = head.slice(1);
      const n = nameOf(id);
      // An unknown user keeps the name Slack wrote into the mention (`<@U1|bob>`), if any.
      plain += n === `@${id}` && label.trim() !== '' ? `@${label}` : n.startsWith('@') ? n : `@${n}`;
    } else if (head.startsWith('#') && head.length > 1) {
      plain += `#${label || head.slice(1)}`;
    } else if (head === '!channel' || head === '!here' || head === '!everyone') {
      plain += `@${head.slice(1)}`;
    } else if (head.startsWith('!subteam^')) {
      plain += label || '@team';
    } else if (head.startsWith('!date^')) {
      plain += label;
    } else if (/^https?:/i.test(head)) {
      const url = decodeSlackEntities(head);
      if (plain !== '') parts.push(plain);
      plain = '';
      parts.push({ label: label === url ? '' : label, url });
    } else if (/^(?:mailto|tel):/i.test(head)) {
      plain += label || decodeSlackEntities(head.replace(/^(?:mailto|tel):/i, ''));
    } else {
      plain += decodeSlackEntities(m[0]);
    }
  }
  plain += decodeSlackEntities(text.slice(last));
  if (plain !== '') parts.push(plain);
  return parts;
}

/** Slack mrkdwn as plain text (see slackToParts); links read `label (url)`. */
export function slackToPlain(text: string, nameOf?: (userId: string) => string): string {
  return slackToParts(text, nameOf)
    .map((p) => (typeof p === 'string' ? p : p.label === '' ? p.url : `${p.label} (${p.url})`))
    .join('');
}
