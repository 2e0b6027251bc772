/** Building `view.state.values` the way Slack submits a form, and finding a form's input blocks. */
import type { SubmissionValues } from '../../../src/slack/blocks/form.js';

type Ids = { block: string; action: string };

/** A typed text input (null when Slack sends no value). */
export const txt = (ids: Ids, value: string | null): SubmissionValues => ({ [ids.block]: { [ids.action]: { type: 'plain_text_input', value } } });
/** A picked option of a static select. */
export const sel = (ids: Ids, value: string): SubmissionValues => ({ [ids.block]: { [ids.action]: { type: 'static_select', selected_option: { value } } } });
/** Several inputs of one submission. */
export const merge = (...v: SubmissionValues[]): SubmissionValues => Object.assign({}, ...v);

/** The input block `blockId` of a view; throws when it has none. */
export function inputBlock(view: { blocks: unknown[] }, blockId: string): Record<string, any> {
  const b = view.blocks.find((x) => (x as { block_id?: string }).block_id === blockId);
  if (!b) throw new Error(`no block ${blockId}`);
  return b as Record<string, any>;
}
