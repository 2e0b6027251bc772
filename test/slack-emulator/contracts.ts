import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Error codes Slack can answer for any Web API method, whether or not the method file lists them. */
export const GENERIC_ERRORS: ReadonlySet<string> = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_argument',
  'invalid_arguments',
  'ratelimited',
  'internal_error',
  'fatal_error',
  'request_timeout',
  'unknown_method',
]);

/** Arguments that carry JSON documents and arrive as JSON strings in form bodies. */
export const JSON_ARGS: ReadonlySet<string> = new Set(['blocks', 'view', 'metadata', 'attachments']);

/** What the emulator needs to know about one Web API method, read from `methods/<method>.json`. */
export interface MethodContract {
  name: string;
  required: readonly string[];
  argNames: ReadonlySet<string>;
  errors: ReadonlySet<string>;
  rateTier: string | undefined;
}

/** Root of this repository (test/slack-emulator/ is two levels below it). */
export const repoRoot: string = fileURLToPath(new URL('../../', import.meta.url));

/** Directory of Slack's contracts: `$SLACK_CONTRACTS_DIR`, else `<repoRoot>/../shared/slack`. */
export function resolveContractsDir(): string {
  const fromEnv = process.env.SLACK_CONTRACTS_DIR;
  return fromEnv && fromEnv.length > 0 ? path.resolve(fromEnv) : path.resolve(repoRoot, '../shared/slack');
}

interface RawMethodFile {
  args?: { required?: string[]; properties?: Record<string, unknown> };
  errors?: Record<string, unknown>;
  rate_limits?: string;
}

/** Loads and caches method contracts from `<dir>/methods/*.json`. */
export class ContractStore {
  private readonly cache = new Map<string, MethodContract | null>();

  /** Opens the contracts directory; throws if it has no `methods/` folder. */
  constructor(readonly dir: string = resolveContractsDir()) {
    if (!existsSync(path.join(dir, 'methods'))) {
      throw new Error(`Slack contracts not found at ${dir} (set SLACK_CONTRACTS_DIR or clone shared/ beside the repo)`);
    }
  }

  /** The contract of a method, or undefined when Slack has no such method. */
  get(method: string): MethodContract | undefined {
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/.test(method)) return undefined;
    const hit = this.cache.get(method);
    if (hit !== undefined) return hit ?? undefined;
    const file = path.join(this.dir, 'methods', `${method}.json`);
    let contract: MethodContract | null = null;
    if (existsSync(file)) {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as RawMethodFile;
      if (raw && typeof raw === 'object' && !Array.isArray(raw) && raw.args) {
        contract = {
          name: method,
          required: raw.args.required ?? [],
          argNames: new Set(Object.keys(raw.args.properties ?? {})),
          errors: new Set(Object.keys(raw.errors ?? {})),
          rateTier: raw.rate_limits,
        };
      }
    }
    this.cache.set(method, contract);
    return contract ?? undefined;
  }

  /** Whether `code` is an error the method may answer (its own list plus the generic ones). */
  allows(method: string, code: string): boolean {
    if (GENERIC_ERRORS.has(code)) return true;
    return this.get(method)?.errors.has(code) ?? false;
  }
}
