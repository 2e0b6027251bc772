/** Reading a submitted modal: one zod schema per field, and each refusal lands on that field's block_id. */
import { z } from 'zod';

/** One submitted input as Slack sends it in `view.state.values` (the fields the parsers read). */
export interface SubmittedValue {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_user?: string | null;
  selected_date?: string | null;
}

/** `view.state.values`: block_id → action_id → value; compatible with Bolt's `ViewOutput['state']['values']`. */
export type SubmissionValues = Readonly<Record<string, Readonly<Record<string, SubmittedValue | undefined>> | undefined>>;

/** A parsed submission, or per-block error messages for `response_action: 'errors'`. */
export type Parsed<T> = ({ ok: true } & T) | { ok: false; errors: Record<string, string> };

/** Which part of the submitted input a field is: typed text ('' when empty), or the picked option, person or date (null when none). */
type Read = 'text' | 'option' | 'user' | 'date';

/** A form field: where Slack puts it, what to read, and the schema that checks it (its messages are the person's). */
export interface Field<S extends z.ZodType = z.ZodType> {
  input: { readonly block: string; readonly action: string };
  read: Read;
  schema: S;
}

/** Declares a field. */
export function field<S extends z.ZodType>(input: Field['input'], read: Read, schema: S): Field<S> {
  return { input, read, schema };
}

/**
 * Reads a submitted form. `blockOf` names the block a refusal about one of its fields belongs on: a use case names the
 * input it refuses (UserError.field, e.g. `dueDate`), and the form, which knows where that input is, shows it there.
 */
export interface FormParser<T> {
  (values: SubmissionValues): Parsed<T>;
  blockOf?(field: string): string | undefined;
}

/** The parser of a form made of `fields`: every field is checked, and the first refusal of each is shown on its block. */
export function form<F extends Record<string, Field>>(fields: F): FormParser<{ [K in keyof F]: z.output<F[K]['schema']> }> & Pick<Required<FormParser<unknown>>, 'blockOf'> {
  const schema = z.object(Object.fromEntries(Object.entries(fields).map(([key, f]) => [key, f.schema])));
  const blockOf = (key: string): string | undefined => (Object.hasOwn(fields, key) ? fields[key]?.input.block : undefined);
  return Object.assign((values: SubmissionValues) => {
    const raw = Object.fromEntries(Object.entries(fields).map(([key, f]) => [key, read(values, f)]));
    const result = schema.safeParse(raw);
    if (result.success) return { ok: true, ...result.data } as never;
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const block = fields[String(issue.path[0])]?.input.block ?? 'error';
      errors[block] ??= issue.message;
    }
    return { ok: false, errors } as const;
  }, { blockOf });
}

function read(values: SubmissionValues, f: Field): string | null {
  const v = values[f.input.block]?.[f.input.action];
  switch (f.read) {
    case 'text': return v?.value ?? '';
    case 'option': return v?.selected_option?.value ?? null;
    case 'user': return v?.selected_user ?? null;
    case 'date': return v?.selected_date ?? null;
  }
}

/** A refusal inside a transform: adds the message and stops this field. */
export function refuse(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}
