/**
 * The one error path: a UserError thrown by any listener becomes the answer its surface expects (an ephemeral reply to a
 * command or a button, field errors on a modal); listeners just throw. A command that fails for any other reason still
 * gets a reply saying nothing was changed.
 */
import type { AckFn, AnyMiddlewareArgs, Context, Middleware, RespondFn } from '@slack/bolt';
import { AlreadyHandled, StoreBusyError, UserError } from '../../app/context.js';
import { wasAcked } from '../ack-timing.js';
import { errorReply, somethingWentWrongReply } from '../blocks/replies.js';
import type { ListenerDeps } from './context.js';

/** A submitted form's field errors, by block_id: thrown by a view listener, shown on the form. */
export class FormErrors extends UserError {
  constructor(readonly errors: Record<string, string>) {
    super(Object.values(errors)[0] ?? 'Check the form.');
  }
}

/** Marks a button whose refusal replaces the message that carried it (a one-shot prompt), rather than adding a reply. */
export function refusalReplacesOriginal(context: Context): void {
  context.refusalReplacesOriginal = true;
}

/** The `commands` metric outcome of a failed command. */
export function outcomeOf(err: unknown): 'busy' | 'refused' | 'error' {
  return err instanceof StoreBusyError ? 'busy' : err instanceof UserError ? 'refused' : 'error';
}

interface Body {
  command?: string;
  text?: string;
  channel_id?: string;
  type?: string;
  view?: { blocks?: Array<{ type?: string; block_id?: string }>; state?: { values?: Record<string, unknown> } };
}

/** Bolt global middleware: answers the refusals (and a command's unexpected failure) that listeners throw. */
export function answerRefusals(l: ListenerDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    try {
      await args.next();
    } catch (err) {
      const body = args.body as Body;
      const ack = (args as { ack?: AckFn<unknown> }).ack;
      const respond = (args as { respond?: RespondFn }).respond;
      const unacked = ack && !wasAcked(ack) ? ack : undefined;
      // A repeat of a submission already carried out is answered as a success.
      if (err instanceof AlreadyHandled) return void await unacked?.();
      if (typeof body.command === 'string') {
        let reply = err instanceof UserError ? errorReply(err.message, err.usage) : undefined;
        if (!reply) {
          l.logger.error({ err, subcommand: (body.text ?? '').trim().split(/\s/)[0] || 'help', channel: body.channel_id }, 'command failed');
          reply = somethingWentWrongReply();
        }
        if (unacked) return void await unacked({ response_type: 'ephemeral', ...reply });
        return void await respond?.({ response_type: 'ephemeral', ...reply }).catch(() => undefined);
      }
      if (!(err instanceof UserError)) throw err;
      if (body.type === 'view_submission') return void await unacked?.({ response_action: 'errors', errors: formErrors(err, body) });
      await unacked?.();
      const replace = body.type === 'block_actions' ? { replace_original: args.context.refusalReplacesOriginal === true } : {};
      await respond?.({ response_type: 'ephemeral', ...replace, text: err.message }).catch((e: unknown) => l.logger.warn({ err: String(e) }, 'could not send a refusal'));
    }
  };
}

// On the fields they are about when the form said (FormErrors), else on the form's first input.
function formErrors(err: UserError, body: Body): Record<string, string> {
  if (err instanceof FormErrors) return err.errors;
  const first = body.view?.blocks?.find((b) => b.type === 'input' && b.block_id)?.block_id ?? Object.keys(body.view?.state?.values ?? {})[0] ?? 'error';
  return { [first]: err.message.slice(0, 2000) };
}
