/** Small pure helpers shared by the Block Kit builders: limits, safe text, mentions and block constructors. */
import type {
  ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, MrkdwnElement, PlainTextElement, SectionBlock,
} from '@slack/types';
import { formatDuration } from '../../domain/duration.js';
import type { Incident, Role, RoleAssignment, Severity, Status } from '../../domain/incident.js';
import { incidentRef } from '../../domain/incident.js';
import { escapeMrkdwn, truncate } from '../../domain/text.js';

/** Block Kit limits from Slack's docs that the builders keep to. */
export const LIMIT = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  optionText: 75,
  id: 255,
  viewTitle: 24,
  privateMetadata: 3000,
  fallbackText: 3000,
  topic: 250,
} as const;

/** A message payload: fallback `text` for notifications plus the blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Cuts mrkdwn to `max` characters without splitting an entity, a surrogate pair or one of our own `<…>` tokens. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = truncate(s, max);
  const body = cut.endsWith('…') ? cut.slice(0, -1) : cut;
  const open = body.lastIndexOf('<');
  if (open > body.lastIndexOf('>')) return `${body.slice(0, open).trimEnd()}…`;
  return cut;
}

/** User text made safe for mrkdwn (escaped) and cut to `max` characters. */
export function esc(s: string, max: number = LIMIT.sectionText): string {
  return clip(escapeMrkdwn(s), max);
}

/** Escapes `<` and `>`, and every `&` that does not already start an entity (Slack delivers typed text with `&amp;` etc. encoded). */
function escapeLoose(s: string): string {
  return s.replace(/&(?!(?:amp|lt|gt);)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BROADCAST = /^!(here|channel|everyone)(?:\|[^|]*)?$/;
const SUBTEAM = /^!subteam\^[A-Z0-9]+(?:\|([^|]*))?$/;
const USER_TOKEN = /^@([UW][A-Z0-9]{1,40})(?:\|[^|]*)?$/;
const CHANNEL_TOKEN = /^#([CG][A-Z0-9]{1,40})(?:\|[^|]*)?$/;
const LINK_TOKEN = /^(https?:\/\/[^\s|]+)(?:\|([^|]*))?$/;

// A defused ping reads as what the person typed, in a code span, which Slack never turns into a notification.
function defused(label: string): string {
  return `\`${escapeLoose(label.replace(/`/g, "'").slice(0, 80))}\``;
}

function slackToken(inner: string): string {
  const u = USER_TOKEN.exec(inner);
  if (u) return `<@${u[1]}>`;
  const c = CHANNEL_TOKEN.exec(inner);
  if (c) return `<#${c[1]}>`;
  const b = BROADCAST.exec(inner);
  if (b) return defused(`@${b[1]}`);
  const g = SUBTEAM.exec(inner);
  if (g) return defused(g[1]?.trim() || '@group');
  const l = LINK_TOKEN.exec(inner);
  if (l) return `<${l[1]!.replace(/&(?!(?:amp|lt|gt);)/g, '&amp;')}|${escapeLoose(l[2]?.trim() || l[1]!)}>`;
  return escapeLoose(`<${inner}>`);
}

/**
 * Text a person wrote (a timeline entry, an update), as mrkdwn that keeps what they typed: user and channel mentions and
 * links stay live, broadcast and group pings (`<!here>`, `<!channel>`, `<!everyone>`, `<!subteam^…>`) are defused, and
 * everything else is escaped. Cut to `max` without splitting a token.
 */
export function typed(s: string, max: number = LIMIT.sectionText): string {
  const out = s.replace(/<([^<>]*)>|[^<]+|</g, (whole, inner: string | undefined) => (inner !== undefined ? slackToken(inner) : escapeLoose(whole)));
  return clip(out, max);
}

/** Said after text shown shortened, with where the whole of it is kept. */
export const SHORTENED_NOTE = '_(shortened here; the postmortem keeps the full text: `/incident postmortem`)_';

/** `typed(s)` when it fits in `max` characters; otherwise cut to fit with SHORTENED_NOTE after it, so nobody mistakes a part for the whole. */
export function typedOrShortened(s: string, max: number): string {
  const whole = typed(s, Number.POSITIVE_INFINITY);
  if (whole.length <= max) return whole;
  return `${clip(whole, Math.max(1, max - SHORTENED_NOTE.length - 1))} ${SHORTENED_NOTE}`;
}

/** Collapses whitespace (newlines included) to single spaces, for one-line places such as headers. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** `<@U…>` for a Slack user id; anything that is not an id is shown escaped instead of being trusted as markup. */
export function user(id: string): string {
  return /^[UW][A-Z0-9]{1,40}$/.test(id) ? `<@${id}>` : escapeMrkdwn(id.slice(0, 60));
}

/** `<#C…>` link to the incident's channel (Slack keeps it working after renames), or a plain note while it is being created. */
export function channelLink(incident: Incident): string {
  const id = incident.channelId;
  if (id && /^[CG][A-Z0-9]{1,40}$/.test(id)) return `<#${id}>`;
  if (incident.channelName) return `#${esc(incident.channelName, 100)}`;
  if (incident.channelError) return `_no channel: Slack refused to create it (${esc(incident.channelError, 60)}); retry or cancel_`;
  return '_its channel (still being created)_';
}

/** `INC-<n>` of an incident. */
export function ref(incident: Incident): string {
  return incidentRef(incident.id);
}

/** The current holder of a role, or null. */
export function holder(roles: readonly RoleAssignment[], role: Role): string | null {
  return roles.find((r) => r.role === role && r.endedAt === null)?.userId ?? null;
}

const SEVERITY_EMOJI: Record<Severity, string> = {
  SEV1: ':red_circle:',
  SEV2: ':large_orange_circle:',
  SEV3: ':large_yellow_circle:',
  SEV4: ':white_circle:',
};

/** Coloured dot for a severity. */
export function severityEmoji(severity: Severity): string {
  return SEVERITY_EMOJI[severity];
}

/** Status with a capital letter, e.g. `Investigating`. */
export function statusLabel(status: Status): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

/** A past span for people: `just now` under a minute, else `1h 20m`. */
export function span(ms: number): string {
  return ms < 60_000 ? 'under a minute' : formatDuration(ms);
}

/** `1h 20m ago`, or `just now`. */
export function ago(ms: number): string {
  return ms < 60_000 ? 'just now' : `${formatDuration(ms)} ago`;
}


/** A mrkdwn text object, clipped to the section limit. */
export function md(text: string, max: number = LIMIT.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: clip(text || ' ', max) };
}

/** A plain_text object (escaped by the caller where it may hold user text), clipped to `max`. */
export function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: clip(text || ' ', max), emoji: true };
}

/** A section with mrkdwn text. */
export function section(text: string, extra: Partial<Omit<SectionBlock, 'type' | 'text'>> = {}): SectionBlock {
  return { type: 'section', text: md(text), ...extra };
}

/** A section of up to 10 mrkdwn fields. */
export function fieldsSection(fields: string[]): SectionBlock {
  return { type: 'section', fields: fields.slice(0, LIMIT.sectionFields).map((f) => md(f, LIMIT.fieldText)) };
}

/** A header block (plain text, at most 150 characters, one line). */
export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(oneLine(text), LIMIT.headerText) };
}

/** A context block of mrkdwn lines. */
export function context(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.slice(0, 10).map((t) => md(t)) };
}

/** A divider. */
export function divider(): DividerBlock {
  return { type: 'divider' };
}

/** A button carrying `value`. */
export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  const b: Button = { type: 'button', text: plain(text, LIMIT.buttonText), action_id: actionId, value: value.slice(0, 2000) };
  if (style) b.style = style;
  return b;
}

/** An actions block of at most 25 elements. */
export function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId.slice(0, LIMIT.id), elements: elements.slice(0, 25) };
}

/** A one-section message whose fallback text is the same mrkdwn. */
export function simple(text: string, ...more: KnownBlock[]): SlackMessage {
  return { text: clip(text, LIMIT.fallbackText), blocks: [section(text), ...more] };
}

/** Packs lines into as few sections as possible (each ≤ 3000 characters), keeping their order; long lines are clipped. */
export function packLines(lines: readonly string[], maxLine = LIMIT.sectionText): string[] {
  const out: string[] = [];
  let cur = '';
  for (const raw of lines) {
    const line = clip(raw, Math.min(maxLine, LIMIT.sectionText));
    if (cur && cur.length + 1 + line.length > LIMIT.sectionText) {
      out.push(cur);
      cur = line;
    } else {
      cur = cur ? `${cur}\n${line}` : line;
    }
  }
  if (cur) out.push(cur);
  return out;
}
