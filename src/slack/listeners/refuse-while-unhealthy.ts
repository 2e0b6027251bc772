/** While the database cannot be trusted with writes, no request is answered as a success: the person is told, in words, that nothing was recorded. */
import type { AckFn, AnyMiddlewareArgs, Middleware, RespondFn } from '@slack/bolt';
import type { ListenerDeps } from './context.js';

/** The words a refused request gets. */
export function cannotRecordText(reason: string): string {
  return `:warning: I can't record this right now: ${reason}. Nothing was changed. Please tell whoever runs the bot (its /healthz answers 503 until this is fixed), and try again after that.`;
}

/** Bolt global middleware: passes requests on while the database is fine; otherwise answers them with `cannotRecordText`. */
export function refuseWhileUnhealthy(l: ListenerDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const problem = l.databaseProblem?.() ?? null;
    if (!problem) return args.next();
    const body = args.body as { type?: string; command?: string; text?: string; view?: { blocks?: Array<{ type?: string; block_id?: string }> } };
    // Help records nothing and says how to use the bot: it still works.
    if (body.command && /^\s*(help)?\s*$/i.test(body.text ?? '')) return args.next();
    const text = cannotRecordText(problem.reason);
    const ack = (args as { ack?: AckFn<unknown> }).ack;
    const respond = (args as { respond?: RespondFn }).respond;
    l.logger.warn({ database: problem.state, kind: body.command ? 'command' : body.type }, 'request refused: the database cannot record it');
    if (body.command) return ack?.({ response_type: 'ephemeral', text });
    if (body.type === 'view_submission') {
      const input = body.view?.blocks?.find((b) => b.type === 'input' && b.block_id);
      return ack?.(input ? { response_action: 'errors', errors: { [input.block_id!]: text.slice(0, 150) } } : undefined);
    }
    await ack?.();
    await respond?.({ response_type: 'ephemeral', replace_original: false, text }).catch(() => undefined);
  };
}
