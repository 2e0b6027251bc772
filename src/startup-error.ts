/** A reason start-up cannot go on, phrased as one line that names the setting and says what to do. */
export class StartupError extends Error {
  constructor(readonly setting: string, message: string) {
    super(message);
  }
}

/** The short reason inside a system error (`ENOTDIR`, `SQLITE_CANTOPEN`, ...) with its first line. */
export function systemReason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const first = String(e.message ?? err).split('\n')[0]!;
  return e.code && !first.includes(e.code) ? `${e.code}: ${first}` : first;
}
