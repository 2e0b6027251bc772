/** While the database cannot be trusted with writes, no request is answered as a success: the person is told, in words, that nothing was recorded. */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { UserError } from '../../app/context.js';
import { worksWithoutDatabase } from '../actions/registry.js';
import type { ListenerDeps } from './context.js';

/** The words a refused request gets. */
export function cannotRecordText(reason: string): string {
  return `I can't record this right now: ${reason}. Nothing was changed. Please tell whoever runs the bot (its /healthz answers 503 until this is fixed), and try again after that.`;
}

/** The refusal of every request while the database cannot record it; the one error path answers it on each surface. */
export class CannotRecordError extends UserError {
  constructor(reason: string) {
    super(cannotRecordText(reason));
  }
}

/** Bolt global middleware (inside answerRefusals): passes requests on while the database is fine; otherwise refuses them with `CannotRecordError`. */
export function refuseWhileUnhealthy(l: ListenerDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const problem = l.databaseProblem?.() ?? null;
    if (!problem) return args.next();
    const body = args.body as { type?: string; command?: string; text?: string };
    // Help records nothing and says how to use the bot: it still works.
    if (body.command && worksWithoutDatabase(body.text ?? '')) return args.next();
    l.logger.warn({ database: problem.state, kind: body.command ? 'command' : body.type }, 'request refused: the database cannot record it');
    throw new CannotRecordError(problem.reason);
  };
}
