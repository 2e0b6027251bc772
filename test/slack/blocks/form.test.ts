import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { field, form, refuse } from '../../../src/slack/blocks/form.js';
import { DECLARE_INPUT, parseDeclareSubmission, SUMMARY_MAX, TITLE_MAX } from '../../../src/slack/actions/declare-form.js';
import { parseUpdateSubmission, UPDATE_INPUT } from '../../../src/slack/actions/update.js';

const INPUT = { ...DECLARE_INPUT, ...UPDATE_INPUT, updateStatus: UPDATE_INPUT.status };

const txt = (ids: { block: string; action: string }, value: string) => ({ [ids.block]: { [ids.action]: { type: 'plain_text_input', value } } });
const sel = (ids: { block: string; action: string }, value: string) => ({ [ids.block]: { [ids.action]: { type: 'static_select', selected_option: { value } } } });

describe('forms read with a zod schema per field', () => {
  it('reports every wrong field at once, each on its own block, in the words of its schema', () => {
    const r = parseDeclareSubmission({ ...txt(INPUT.title, `  ${'t'.repeat(TITLE_MAX + 1)}\n`), ...txt(INPUT.summary, 's'.repeat(SUMMARY_MAX + 5)), ...sel(INPUT.severity, 'SEV9') });
    expect(r).toEqual({
      ok: false,
      errors: {
        [INPUT.title.block]: `Keep the title to ${TITLE_MAX} characters (it has ${TITLE_MAX + 1}).`,
        [INPUT.severity.block]: 'Pick a severity, SEV1 (worst) to SEV4.',
        [INPUT.summary.block]: `Keep the summary to ${SUMMARY_MAX} characters (it has ${SUMMARY_MAX + 5}).`,
      },
    });
  });

  it('gives the checked, transformed values when all is well', () => {
    const r = parseUpdateSubmission({ ...sel(INPUT.updateStatus, 'mitigating'), ...txt(INPUT.known, ' cause found '), ...txt(INPUT.doing, ''), ...sel(INPUT.nextIn, '30m') });
    expect(r).toEqual({ ok: true, status: 'mitigating', text: 'What we know: cause found', nextInMs: 30 * 60_000 });
  });

  it('keeps the first refusal of a field and names blocks only, never field keys', () => {
    const parse = form({ n: field({ block: 'num', action: 'num_input' }, 'text', z.string().transform((s, ctx) => (/^\d+$/.test(s) ? Number(s) : refuse(ctx, 'A number, please.')))) });
    expect(parse(txt({ block: 'num', action: 'num_input' }, 'x'))).toEqual({ ok: false, errors: { num: 'A number, please.' } });
    expect(parse(txt({ block: 'num', action: 'num_input' }, '42'))).toEqual({ ok: true, n: 42 });
  });

  it('names the block of each of its fields, and nothing for a key it does not have', () => {
    const parse = form({ n: field({ block: 'num', action: 'num_input' }, 'text', z.string()) });
    expect(parse.blockOf('n')).toBe('num');
    expect(parse.blockOf('m')).toBeUndefined();
    expect(parse.blockOf('constructor')).toBeUndefined();
  });
});
