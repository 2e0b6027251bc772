/** `/incident` text → typed command, or an error saying what was wrong and showing the right form. */
import type { CommandError, ParseResult } from './command.js';
import { parseDuration } from './duration.js';
import { COMMAND_USAGE } from './help.js';
import { ROLE_NAMES, type Role, type Severity, type Status } from './incident.js';
import { parsePublicStatus } from './statuspage.js';
import { parseUserMention, truncate } from './text.js';

/**
 * Longest command text accepted: Slack's own limit on a message's text. A pasted stack trace well past 4000 characters
 * is normal during an incident and is kept whole; only something no Slack message could hold is refused.
 */
export const MAX_COMMAND_LENGTH = 40_000;
/** Longest snooze, so a reminder can never be silenced for days by a typo. */
export const MAX_SNOOZE_MS = 24 * 3_600_000;

type Sub =
  | 'help' | 'declare' | 'list' | 'role' | 'roles' | 'log' | 'update' | 'severity' | 'status'
  | 'resolve' | 'close' | 'action' | 'done' | 'actions' | 'timeline' | 'snooze' | 'postmortem' | 'page' | 'statuspage';

// Map, not object literal: user words such as `constructor` must not hit the prototype.
const SUBCOMMANDS = new Map<string, Sub>([
  ['help', 'help'], ['declare', 'declare'], ['new', 'declare'], ['list', 'list'], ['ls', 'list'],
  ['role', 'role'], ['assign', 'role'], ['roles', 'roles'], ['log', 'log'], ['note', 'log'],
  ['update', 'update'], ['severity', 'severity'], ['sev', 'severity'], ['status', 'status'],
  ['resolve', 'resolve'], ['close', 'close'], ['action', 'action'], ['done', 'done'],
  ['actions', 'actions'], ['timeline', 'timeline'], ['snooze', 'snooze'],
  ['postmortem', 'postmortem'], ['post-mortem', 'postmortem'], ['pm', 'postmortem'], ['?', 'help'],
  ['page', 'page'],
  ['statuspage', 'statuspage'], ['status-page', 'statuspage'],
]);

const ROLE_ALIASES = new Map<string, Role>([
  ['ic', 'ic'], ['commander', 'ic'], ['incident_commander', 'ic'], ['incident-commander', 'ic'],
  ['tech', 'tech'], ['technical', 'tech'], ['tech_lead', 'tech'], ['tech-lead', 'tech'], ['tl', 'tech'],
  ['comms', 'comms'], ['communications', 'comms'], ['comms_lead', 'comms'], ['comms-lead', 'comms'], ['cl', 'comms'],
]);

type OpenStatus = Exclude<Status, 'closed'>;
const STATUS_WORDS = new Map<string, OpenStatus>([
  ['investigating', 'investigating'], ['investigate', 'investigating'],
  ['identified', 'identified'], ['identify', 'identified'],
  ['mitigating', 'mitigating'], ['mitigate', 'mitigating'],
  ['monitoring', 'monitoring'], ['monitor', 'monitoring'],
  ['resolved', 'resolved'], ['resolve', 'resolved'],
]);

const SEVERITY_WORD = /^(?:sev[-_]?|p)([1-4])$/i;
// `p50`/`p99` are latency percentiles in titles, so only `p0` counts as a mistyped severity.
const SEVERITY_LOOKALIKE = /^(?:sev[-_]?\d*|p0+)$/i;
const ACTION_REF = /^(?:a-?|#)?0*([1-9]\d{0,8})$/i;
const NOT_A_MENTION = 'pick the person from the autocomplete so Slack sends a real mention (<@U…>); typed @name text cannot be resolved';

/** Parses the text after `/incident`; never throws, whatever the input. */
export function parseCommand(text: string): ParseResult {
  try {
    return parse(typeof text === 'string' ? text : '');
  } catch {
    return fail('help', 'Could not read that command.');
  }
}

/** `sev1`…`sev4` or `p1`…`p4` in any case; undefined for anything else. */
export function parseSeverity(word: string): Severity | undefined {
  const m = SEVERITY_WORD.exec(word.trim());
  return m ? (`SEV${m[1]}` as Severity) : undefined;
}

/** Whether `YYYY-MM-DD` names a real calendar day (2026-02-30 does not). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function parse(input: string): ParseResult {
  const trimmed = input.trim();
  const head = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!head) return input.length > MAX_COMMAND_LENGTH ? tooLong(input, 'help') : { kind: 'help' };
  const word = head[1] ?? '';
  const rest = head[2] ?? '';
  const sub = SUBCOMMANDS.get(word.toLowerCase());
  if (input.length > MAX_COMMAND_LENGTH) return tooLong(input, sub ?? 'help');
  if (!sub) return unknown(word);
  const tokens = tokenize(rest);
  switch (sub) {
    case 'help': return { kind: 'help' };
    case 'declare': return declare(rest);
    case 'list': case 'roles': case 'close': case 'actions': case 'timeline': case 'postmortem':
      return rest ? fail(sub, `\`/incident ${sub}\` takes nothing after it.`) : { kind: sub };
    case 'role': return role(tokens);
    case 'log': return rest ? { kind: 'log', text: rest } : fail('log', 'Say what to add to the timeline.');
    case 'update': return rest ? { kind: 'update', text: rest } : { kind: 'update_modal' };
    case 'severity': return severity(tokens);
    case 'status': return status(tokens);
    case 'resolve': return { kind: 'resolve', summary: rest || null };
    case 'action': return action(tokens);
    case 'done': return done(tokens);
    case 'snooze': return snooze(rest);
    case 'page': return { kind: 'page', message: rest.trim() || null };
    case 'statuspage': return statuspage(rest);
  }
}

function fail(sub: Sub, message: string): CommandError {
  return { kind: 'error', message, usage: COMMAND_USAGE[sub] ?? '/incident help' };
}

// Echoes user input inside a code span, short and without backticks that would break it.
function show(s: string): string {
  return `\`${truncate(s.replace(/`/g, "'").replace(/\s+/g, ' '), 40)}\``;
}

// Keeps `<@U1|some name>` as one token even if the label holds spaces.
function tokenize(s: string): string[] {
  return s.match(/<[^<>]*>|[^\s<]+|</g) ?? [];
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function tooLong(input: string, sub: Sub): CommandError {
  return fail(sub, `That command is ${input.length} characters long; the limit is ${MAX_COMMAND_LENGTH} characters.`);
}

function declare(rest: string): ParseResult {
  if (!rest) return { kind: 'declare_modal' };
  const m = /^(\S+)\s*([\s\S]*)$/.exec(rest);
  const first = m?.[1] ?? '';
  const sev = parseSeverity(first);
  if (sev) {
    const title = collapse(m?.[2] ?? '');
    return title ? { kind: 'declare', severity: sev, title } : fail('declare', `A title is needed after ${sev}, e.g. \`/incident declare ${sev.toLowerCase()} Checkout is failing\`.`);
  }
  if (SEVERITY_LOOKALIKE.test(first)) return fail('declare', `Bad severity ${show(first)}: use sev1 (worst) to sev4, or p1 to p4.`);
  return { kind: 'declare', severity: 'SEV3', title: collapse(rest) };
}

function role(tokens: string[]): ParseResult {
  const at = tokens.findIndex((t) => ROLE_ALIASES.has(t.toLowerCase()));
  if (tokens.length === 0) return fail('role', 'Say which role and who should hold it.');
  const roleName = at < 0 ? undefined : ROLE_ALIASES.get((tokens[at] ?? '').toLowerCase());
  if (!roleName) {
    const guess = tokens.find((t) => !t.startsWith('<') && !t.startsWith('@'));
    return fail('role', guess
      ? `Unknown role ${show(guess)}: use ic (Incident Commander), tech (Technical Lead) or comms (Communications Lead).`
      : 'Say which role: ic (Incident Commander), tech (Technical Lead) or comms (Communications Lead).');
  }
  const others = tokens.filter((_, i) => i !== at);
  const who = others[0];
  if (who === undefined) return fail('role', `Say who should be ${ROLE_NAMES[roleName]}: ${NOT_A_MENTION}.`);
  if (others.length > 1) return fail('role', 'Name exactly one person per role.');
  const userId = parseUserMention(who);
  if (!userId) return fail('role', `${show(who)} is not a Slack mention: ${NOT_A_MENTION}.`);
  return { kind: 'role', role: roleName, userId };
}

function severity(tokens: string[]): ParseResult {
  const [word, extra] = tokens;
  if (word === undefined) return fail('severity', 'Say the new severity: sev1 (worst) to sev4.');
  if (extra !== undefined) return fail('severity', 'Give just one severity, nothing after it.');
  const sev = parseSeverity(word) ?? (/^[1-4]$/.test(word) ? (`SEV${word}` as Severity) : undefined);
  return sev ? { kind: 'severity', severity: sev } : fail('severity', `Bad severity ${show(word)}: use sev1 (worst) to sev4.`);
}

function status(tokens: string[]): ParseResult {
  const [word, extra] = tokens;
  if (word === undefined) return fail('status', 'Say the new status.');
  const lower = word.toLowerCase();
  if (lower === 'closed' || lower === 'close') return fail('close', 'Closing is its own command: use `/incident close` once the incident is resolved.');
  const to = STATUS_WORDS.get(lower);
  if (!to) return fail('status', `Unknown status ${show(word)}: use investigating, identified, mitigating, monitoring or resolved.`);
  if (extra !== undefined) return fail('status', 'Give just the status, nothing after it.');
  return { kind: 'status', status: to };
}

function actionSeq(token: string | undefined): number | undefined {
  const m = token === undefined ? null : ACTION_REF.exec(token);
  return m ? Number(m[1]) : undefined;
}

function done(tokens: string[]): ParseResult {
  const seq = tokens.length === 1 ? actionSeq(tokens[0]) : undefined;
  if (seq !== undefined) return { kind: 'action_done', seq };
  const what = tokens.length ? `${show(tokens.join(' '))} is not an action item` : 'Say which action item is done';
  return fail('done', `${what}: refer to it as A-<n>, e.g. \`/incident action done A-3\`.`);
}

function action(tokens: string[]): ParseResult {
  const [first, second] = tokens;
  if (first === undefined) return fail('action', 'Say what needs doing.');
  if (first.toLowerCase() === 'done') return done(tokens.slice(1));
  if (tokens.length === 2 && second?.toLowerCase() === 'done' && actionSeq(first) !== undefined) return done([first]);
  if (tokens.length === 1 && actionSeq(first) !== undefined) {
    return fail('done', `To mark ${show(first)} done, type \`/incident action done A-${actionSeq(first)}\`.`);
  }
  let ownerId: string | null = null;
  let dueDate: string | null = null;
  const words: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] ?? '';
    const mention = parseUserMention(tok);
    if (mention) {
      if (ownerId && ownerId !== mention) return fail('action', 'Name one owner per action item.');
      ownerId = mention;
      continue;
    }
    if (/^@\S/.test(tok)) return fail('action', `${show(tok)} is not a Slack mention: ${NOT_A_MENTION}.`);
    const due = /^due:(.*)$/i.exec(tok);
    if (due) {
      let date = due[1] ?? '';
      if (!date && tokens[i + 1] !== undefined) date = tokens[++i] ?? '';
      if (dueDate !== null) return fail('action', 'Give one due date per action item.');
      if (!isCalendarDate(date)) return fail('action', `${show(date || 'due:')} is not a real date: write due:YYYY-MM-DD, e.g. due:2026-03-31.`);
      dueDate = date;
      continue;
    }
    words.push(tok);
  }
  const text = words.join(' ');
  if (!text) return fail('action', 'Say what needs doing, not only who and when.');
  return { kind: 'action', text, ownerId, dueDate };
}

function snooze(rest: string): ParseResult {
  if (!rest) return fail('snooze', 'Say for how long, e.g. `/incident snooze 30m`.');
  if (rest.trim().toLowerCase() === 'off') return fail('snooze', 'Snooze needs a duration such as 30m; `off` is not one (reminders stop when the incident is resolved).');
  const ms = parseDuration(rest, false);
  if (ms === undefined || ms === null) return fail('snooze', `Bad duration ${show(rest)}: write it like 30s, 15m, 1h.`);
  if (ms > MAX_SNOOZE_MS) return fail('snooze', 'A snooze can last at most 24h.');
  return { kind: 'snooze', durationMs: ms };
}

function unknown(word: string): CommandError {
  const lower = word.toLowerCase();
  const sev = parseSeverity(word);
  const status = STATUS_WORDS.get(lower);
  let hint = '';
  let sub: Sub = 'help';
  if (sev) [hint, sub] = [` Did you mean \`/incident declare ${lower} <title>\`?`, 'declare'];
  else if (status) [hint, sub] = [` Did you mean \`/incident status ${status}\`?`, 'status'];
  else {
    const near = closestSubcommand(lower);
    if (near) [hint, sub] = [` Did you mean \`/incident ${near}\`?`, SUBCOMMANDS.get(near) ?? 'help'];
  }
  return fail(sub, `Unknown subcommand ${show(word)}.${hint} See \`/incident help\` for every command.`);
}

// A prefix of 3+ letters or a small edit distance counts as a typo; anything further gets no guess.
function closestSubcommand(word: string): string | undefined {
  if (word.length > 30) return undefined;
  const names = [...SUBCOMMANDS.keys()].filter((n) => n !== '?');
  if (word.length >= 3) {
    const prefixed = names.find((n) => n.startsWith(word));
    if (prefixed) return prefixed;
  }
  const limit = word.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDist = limit + 1;
  for (const name of names) {
    const d = editDistance(word, name);
    if (d < bestDist && d < name.length) [best, bestDist] = [name, d];
  }
  return best;
}

// Optimal string alignment distance, so a swapped pair of letters (`decalre`) costs one edit.
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = d;
    }
  }
  return at(a.length, b.length);
}

function statuspage(rest: string): ParseResult {
  if (!rest) return { kind: 'statuspage_modal' };
  const m = /^(\S+)\s*([\s\S]*)$/.exec(rest);
  const word = m?.[1] ?? '';
  const status = parsePublicStatus(word);
  if (!status) return fail('statuspage', `${show(word)} is not a status page status: use investigating, identified, monitoring or resolved.`);
  const message = (m?.[2] ?? '').trim();
  if (!message) return fail('statuspage', `Say what the status page should tell customers, e.g. \`/incident statuspage ${status} We are looking into failed checkouts.\``);
  return { kind: 'statuspage', status, message };
}
