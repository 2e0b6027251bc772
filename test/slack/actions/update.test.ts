import { describe, expect, it } from 'vitest';
import { parseUpdateSubmission, UPDATE_INPUT as INPUT, UPDATE_VIEW, updateModal } from '../../../src/slack/actions/update.js';
import { incident } from '../blocks/fixtures.js';
import { allText, markupProblems, viewProblems } from '../blocks/limits.js';
import { inputBlock, merge, sel, txt } from './submission.js';

describe('the update form', () => {
  it('carries the incident id and preselects the current status', () => {
    const v = updateModal(incident({ status: 'mitigating', title: '<!channel> x' }));
    expect(viewProblems(v)).toEqual([]);
    expect(markupProblems(v)).toEqual([]);
    expect(v.callback_id).toBe(UPDATE_VIEW);
    expect(v.private_metadata).toBe('42');
    const status = inputBlock(v, INPUT.status.block).element;
    expect(status.options.map((o: { value: string }) => o.value)).toEqual(['investigating', 'identified', 'mitigating', 'monitoring']);
    expect(status.initial_option.value).toBe('mitigating');
    expect(inputBlock(v, INPUT.nextIn.block).element.options.map((o: { value: string }) => o.value)).toEqual(['15m', '30m', '1h', '2h', '4h']);
    expect(allText(v)).toContain('&lt;!channel&gt; x');
  });

  it('parses into status, formatted text and next-in', () => {
    expect(parseUpdateSubmission(merge(sel(INPUT.status, 'identified'), txt(INPUT.known, 'bad deploy'), txt(INPUT.doing, 'rolling back'), sel(INPUT.nextIn, '2h'))))
      .toEqual({ ok: true, status: 'identified', text: 'What we know: bad deploy\nWhat we are doing: rolling back', nextInMs: 2 * 3_600_000 });
    expect(parseUpdateSubmission(merge(sel(INPUT.status, 'monitoring'), txt(INPUT.known, 'stable'))))
      .toEqual({ ok: true, status: 'monitoring', text: 'What we know: stable', nextInMs: null });
    const bad = parseUpdateSubmission(merge(sel(INPUT.status, 'closed'), txt(INPUT.known, ' '), sel(INPUT.nextIn, '7m')));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual([INPUT.known.block, INPUT.nextIn.block, INPUT.status.block].sort());
  });
});
