import type { Args } from './args.js';
import type { BlockProblem } from './block-kit.js';
import type { WorkspaceState } from './state.js';

/** Kinds of problems the emulator records in `violations`. */
export type ViolationKind = 'block_kit' | 'contract' | 'limit' | 'response_url';

/** A rule the bot (or the emulator itself, for `contract`) broke. */
export interface Violation {
  kind: ViolationKind;
  method: string;
  detail: string;
  problems?: BlockProblem[];
  at: number;
}

/** A Slack API error answered as HTTP 200 `{ok:false, error, ...extra}`. */
export class SlackApiError extends Error {
  /** Creates the error for a code and extra response fields. */
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

/** Everything a method handler may use. */
export interface MethodContext {
  method: string;
  args: Args;
  /** The user id the token acts as (the bot for xoxb- tokens). */
  actor: string;
  state: WorkspaceState;
  /** `http://127.0.0.1:<port>/` */
  baseUrl: string;
  /** How long an issued trigger_id stays valid. */
  triggerTtlMs: number;
  /** Whether the method's contract lets it answer `code`. */
  allows(code: string): boolean;
  /** Records a violation. */
  violate(kind: ViolationKind, detail: string, problems?: BlockProblem[]): void;
}

/** A Web API method implementation: returns the success body (without `ok`) or throws SlackApiError. */
export type MethodHandler = (ctx: MethodContext) => Record<string, unknown>;
