import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/app/context.js';
import { ACTION_INPUT as INPUT, actionModal, parseActionSubmission } from '../../../src/slack/actions/add-action.js';
import { submitForm } from '../../../src/slack/actions/surfaces.js';
import { FormErrors } from '../../../src/slack/listeners/refusals.js';
import { viewProblems } from '../blocks/limits.js';
import { inputBlock, merge, txt } from './submission.js';

const due = (d: string) => ({ [INPUT.due.block]: { [INPUT.due.action]: { type: 'datepicker', selected_date: d } } });

describe('the add-action-item form', () => {
  it('action modal: optional owner and due date; the date must be YYYY-MM-DD and real', () => {
    const v = actionModal(42);
    expect(viewProblems(v)).toEqual([]);
    expect(inputBlock(v, INPUT.owner.block).optional).toBe(true);
    expect(inputBlock(v, INPUT.due.block).element.type).toBe('datepicker');
    expect(parseActionSubmission(merge(txt(INPUT.text, ' add alert '), due('2026-03-31'))))
      .toEqual({ ok: true, text: 'add alert', ownerId: null, dueDate: '2026-03-31' });
    expect(parseActionSubmission(merge(txt(INPUT.text, 'x'), due('2026-02-30'))).ok).toBe(false);
    expect(parseActionSubmission(merge(txt(INPUT.text, 'x'), due('31/03/2026'))).ok).toBe(false);
    expect(parseActionSubmission(txt(INPUT.text, ' ')).ok).toBe(false);
  });

  it('shows the use case\'s refusal of a past date on the date picker, and any other refusal as it was thrown', async () => {
    const values = merge(txt(INPUT.text, 'x'), due('2020-01-01'));
    const past = await submitForm(parseActionSubmission, values, async () => { throw new UserError('That date is past.', undefined, 'dueDate'); }).catch((e: unknown) => e);
    expect(past).toBeInstanceOf(FormErrors);
    expect((past as FormErrors).errors).toEqual({ [INPUT.due.block]: 'That date is past.' });
    const other = new UserError('Only the IC may do that.');
    expect(await submitForm(parseActionSubmission, values, async () => { throw other; }).catch((e: unknown) => e)).toBe(other);
    const unknownField = new UserError('No such input.', undefined, 'constructor');
    expect(await submitForm(parseActionSubmission, values, async () => { throw unknownField; }).catch((e: unknown) => e)).toBe(unknownField);
  });

  it('refuses a bad form before the use case runs', async () => {
    let ran = false;
    const bad = await submitForm(parseActionSubmission, txt(INPUT.text, ' '), async () => { ran = true; }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(FormErrors);
    expect(Object.keys((bad as FormErrors).errors)).toEqual([INPUT.text.block]);
    expect(ran).toBe(false);
  });
});
