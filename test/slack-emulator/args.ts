/** Parsed Web API arguments: strings from form bodies, any JSON value from JSON bodies. */
export type Args = Record<string, unknown>;

/** A non-empty string argument (numbers are stringified), else undefined. */
export function argString(args: Args, name: string): string | undefined {
  const v = args[name];
  if (typeof v === 'string') return v.length > 0 ? v : undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A boolean argument (`true`, `1`, `"true"`, `"1"`), else the fallback. */
export function argBool(args: Args, name: string, fallback = false): boolean {
  const v = args[name];
  if (v === undefined || v === null || v === '') return fallback;
  return v === true || v === 1 || v === 'true' || v === '1';
}

/** An integer argument, NaN when present but not an integer, undefined when absent. */
export function argInt(args: Args, name: string): number | undefined {
  const v = args[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isInteger(n) ? n : Number.NaN;
}

/** A list argument given as a comma separated string or an array. */
export function argList(args: Args, name: string): string[] {
  const v = args[name];
  const items = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : [];
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Whether a required argument counts as given (present and not an empty string). */
export function argPresent(args: Args, name: string): boolean {
  const v = args[name];
  return v !== undefined && v !== null && v !== '';
}
