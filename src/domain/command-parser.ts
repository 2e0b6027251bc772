/**
 * `/incident` text → typed command, or an error saying what was wrong and showing the right form. This is the generic
 * part (limits, picking the subcommand by its first word, typo hints) and the readers the subcommands share; each
 * action declares its own subcommands' words, usage line and grammar (src/slack/actions/).
 */
import type { CommandError, ParsedCommand, ParseResult } from './command.js';
import type { Severity, Status } from './incident.js';
import { truncate } from './text.js';

/**
 * Longest command text accepted: Slack's own limit on a message's text. A pasted stack trace well past 4000 characters
 * is normal during an incident and is kept whole; only something no Slack message could hold is refused.
 */
export const MAX_COMMAND_LENGTH = 40_000;

declare const handedOff: unique symbol;
/**
 * Another subcommand's result, passed on as it is (`/incident action done A-3` is `done`'s): its kind belongs to that
 * subcommand's action, so it adds none to the caller's commands.
 */
export interface Handoff {
  readonly kind: never;
  readonly [handedOff]: true;
}

/** One subcommand's grammar; `C` is the commands it reads (its action answers each of their kinds). */
export interface Subcommand<C extends ParsedCommand = ParsedCommand> {
  /** Its name, which refusals use to quote its usage (`done` for `/incident action done`). */
  name: string;
  /** The words that select it, in the order typo hints try them (matched in any case). */
  words: readonly string[];
  /** The right form, quoted with every refusal of it (plain text: escape before posting). */
  usage: string;
  /** Reads what follows the word; `p` refuses with any subcommand's usage and reads another's (`action done` is `done`). */
  parse(rest: string, tokens: string[], p: CommandParser): C | Handoff | CommandError;
  /** For a first word that is no subcommand but reads as this one's argument (`sev1`): the command to suggest. */
  guess?(word: string): string | undefined;
}

/** Declares a subcommand, keeping the commands it reads precise (their kinds are what its action must answer). */
export function subcommand<const C extends ParsedCommand>(sub: Subcommand<C>): Subcommand<C> {
  return sub;
}

/** The commands a subcommand reads. */
export type CommandsOf<S> = S extends Subcommand<infer C extends ParsedCommand> ? C : never;

/**
 * Parses `/incident` text over a set of subcommands. The first one is the default: an empty command is it, and a
 * refusal with no better usage to quote quotes its usage (the registry puts help first).
 */
export class CommandParser {
  // Maps, not object literals: user words such as `constructor` must not hit the prototype.
  private readonly byWord = new Map<string, Subcommand>();
  private readonly byName = new Map<string, Subcommand>();
  private readonly home: Subcommand;

  constructor(subcommands: readonly Subcommand[]) {
    const [home] = subcommands;
    if (!home) throw new Error('a command parser needs at least one subcommand');
    this.home = home;
    for (const sub of subcommands) {
      if (this.byName.has(sub.name)) throw new Error(`two subcommands are named ${sub.name}`);
      this.byName.set(sub.name, sub);
      for (const word of sub.words) {
        if (this.byWord.has(word)) throw new Error(`two subcommands claim the word ${word}`);
        this.byWord.set(word, sub);
      }
    }
  }

  /** Parses the text after `/incident`; never throws, whatever the input. */
  parse(text: string): ParseResult {
    try {
      return this.read(typeof text === 'string' ? text : '');
    } catch {
      return this.fail(this.home.name, 'Could not read that command.');
    }
  }

  /** A refusal quoting the usage of subcommand `name`. */
  fail(name: string, message: string): CommandError {
    return { kind: 'error', message, usage: this.usage(name) };
  }

  /** The usage line of subcommand `name`. */
  usage(name: string): string {
    return (this.byName.get(name) ?? this.home).usage;
  }

  /** Reads `tokens` as subcommand `name` would (for a subcommand typed after another's word). */
  as(name: string, rest: string, tokens: string[]): Handoff | CommandError {
    const sub = this.byName.get(name);
    return sub ? (sub.parse(rest, tokens, this) as Handoff | CommandError) : this.fail(this.home.name, 'Could not read that command.');
  }

  /** Every subcommand name with its usage line. */
  usages(): Record<string, string> {
    return Object.fromEntries([...this.byName.values()].map((s) => [s.name, s.usage]));
  }

  private read(input: string): ParseResult {
    const head = /^(\S+)\s*([\s\S]*)$/.exec(input.trim());
    if (!head) return input.length > MAX_COMMAND_LENGTH ? this.tooLong(input, this.home.name) : this.home.parse('', [], this);
    const word = head[1] ?? '';
    const rest = head[2] ?? '';
    const sub = this.byWord.get(word.toLowerCase());
    if (input.length > MAX_COMMAND_LENGTH) return this.tooLong(input, (sub ?? this.home).name);
    if (!sub) return this.unknown(word);
    return sub.parse(rest, tokenize(rest), this);
  }

  private tooLong(input: string, name: string): CommandError {
    return this.fail(name, `That command is ${input.length} characters long; the limit is ${MAX_COMMAND_LENGTH} characters.`);
  }

  private unknown(word: string): CommandError {
    // A subcommand's own guess (a bare severity suggests declare) beats the nearest spelling.
    for (const sub of this.byName.values()) {
      const typed = sub.guess?.(word);
      if (typed) return this.unknownWith(word, sub.name, typed);
    }
    const near = this.closest(word.toLowerCase());
    const sub = near === undefined ? undefined : this.byWord.get(near);
    return sub ? this.unknownWith(word, sub.name, `/incident ${near}`) : this.unknownWith(word, this.home.name);
  }

  private unknownWith(word: string, name: string, typed?: string): CommandError {
    const hint = typed ? ` Did you mean \`${typed}\`?` : '';
    return this.fail(name, `Unknown subcommand ${show(word)}.${hint} See \`${this.home.usage}\` for every command.`);
  }

  // A prefix of 3+ letters or a small edit distance counts as a typo; anything further gets no guess.
  private closest(word: string): string | undefined {
    if (word.length > 30) return undefined;
    // Only words spelled with letters are offered (`?` selects help but is no suggestion).
    const names = [...this.byWord.keys()].filter((n) => /^[a-z][a-z-]*$/.test(n));
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
}

const SEVERITY_WORD = /^(?:sev[-_]?|p)([1-4])$/i;
/** A word that looks like a mistyped severity (`p50`/`p99` are latency percentiles in titles, so only `p0` counts). */
export const SEVERITY_LOOKALIKE = /^(?:sev[-_]?\d*|p0+)$/i;
const ACTION_REF = /^(?:a-?|#)?0*([1-9]\d{0,8})$/i;
/** Why a typed `@name` is refused where a person is needed. */
export const NOT_A_MENTION = 'pick the person from the autocomplete so Slack sends a real mention (<@U…>); typed @name text cannot be resolved';

type OpenStatus = Exclude<Status, 'closed'>;
const STATUS_WORDS = new Map<string, OpenStatus>([
  ['investigating', 'investigating'], ['investigate', 'investigating'],
  ['identified', 'identified'], ['identify', 'identified'],
  ['mitigating', 'mitigating'], ['mitigate', 'mitigating'],
  ['monitoring', 'monitoring'], ['monitor', 'monitoring'],
  ['resolved', 'resolved'], ['resolve', 'resolved'],
]);

/** `sev1`…`sev4` or `p1`…`p4` in any case; undefined for anything else. */
export function parseSeverity(word: string): Severity | undefined {
  const m = SEVERITY_WORD.exec(word.trim());
  return m ? (`SEV${m[1]}` as Severity) : undefined;
}

/** An open status from its word or verb (`monitor`, `monitoring`), lower case; undefined for anything else. */
export function parseStatusWord(lower: string): OpenStatus | undefined {
  return STATUS_WORDS.get(lower);
}

/** An action item's number from `A-3`, `a3`, `#3` or `3`; undefined for anything else. */
export function parseActionRef(token: string | undefined): number | undefined {
  const m = token === undefined ? null : ACTION_REF.exec(token);
  return m ? Number(m[1]) : undefined;
}

/** Whether `YYYY-MM-DD` names a real calendar day (2026-02-30 does not). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Echoes user input inside a code span, short and without backticks that would break it. */
export function show(s: string): string {
  return `\`${truncate(s.replace(/`/g, "'").replace(/\s+/g, ' '), 40)}\``;
}

/** Splits arguments into words, keeping `<@U1|some name>` as one token even if the label holds spaces. */
export function tokenize(s: string): string[] {
  return s.match(/<[^<>]*>|[^\s<]+|</g) ?? [];
}

/** Collapses runs of white space to one space, trimmed. */
export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A subcommand that takes nothing after its word. */
export function bare<K extends string>(kind: K, words: readonly string[], usage: string): Subcommand<{ kind: K }> {
  return { name: kind, words, usage, parse: (rest, _tokens, p) => (rest ? p.fail(kind, `\`/incident ${kind}\` takes nothing after it.`) : { kind }) };
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
