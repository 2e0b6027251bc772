/** Arguments of the postmortem CLI, parsed with node:util's parseArgs. */
import { parseArgs } from 'node:util';

/** How to call the postmortem CLI. */
export const USAGE = `usage: npm run postmortem -- INC-<n> [--out file.md]

Renders the postmortem draft of an incident from the database alone (works while Slack is down).

  INC-<n>          the incident, e.g. INC-42 (or just 42)
  -o, --out FILE   write the Markdown to FILE instead of stdout
  -h, --help       show this help

The database is the one DATABASE_URL names (environment or .env); it must exist.`;

/** Parsed arguments: help wanted, an error naming what was wrong, or the incident and output file. */
export type PostmortemArgs = { help: true } | { error: string } | { id: number; out: string | null };

/** Parses the CLI arguments; an error names what was wrong and the right form. */
export function parsePostmortemArgs(argv: string[]): PostmortemArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    return { error: `${(err as Error).message}\n${USAGE}` };
  }
  if (parsed.values.help) return { help: true };
  const [ref, extra] = parsed.positionals;
  if (extra !== undefined) return { error: `unexpected argument "${extra}".\n${USAGE}` };
  if (parsed.values.out === '') return { error: `--out needs a file name.\n${USAGE}` };
  const m = /^(?:inc-)?(\d{1,12})$/i.exec(ref ?? '');
  if (!m) return { error: ref ? `"${ref}" is not an incident reference like INC-42.\n${USAGE}` : `which incident?\n${USAGE}` };
  return { id: Number(m[1]), out: parsed.values.out ?? null };
}
