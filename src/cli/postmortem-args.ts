/** Arguments of the postmortem CLI. */

/** How to call the postmortem CLI. */
export const USAGE = 'usage: npm run postmortem -- INC-<n> [--out file.md]';

/** Parses the CLI arguments; an error names what was wrong and the right form. */
export function parseArgs(argv: string[]): { id: number; out: string | null } | { error: string } {
  let ref: string | null = null;
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out' || a === '-o') {
      out = argv[++i] ?? null;
      if (!out) return { error: `--out needs a file name. ${USAGE}` };
    } else if (a.startsWith('--out=')) out = a.slice(6);
    else if (ref === null) ref = a;
    else return { error: `unexpected argument "${a}". ${USAGE}` };
  }
  const m = /^(?:inc-)?(\d{1,12})$/i.exec(ref ?? '');
  if (!m) return { error: ref ? `"${ref}" is not an incident reference like INC-42. ${USAGE}` : `which incident? ${USAGE}` };
  return { id: Number(m[1]), out };
}
