/** A value a test submits for one input: text, option value, user/channel id, date; arrays for multi-selects. */
export type SubmissionValue = string | number | boolean | readonly string[] | null | { type: string; [k: string]: unknown };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function allOptions(el: Obj): Obj[] {
  const direct = Array.isArray(el.options) ? el.options.filter(isObj) : [];
  const grouped = Array.isArray(el.option_groups)
    ? el.option_groups.filter(isObj).flatMap((g) => (Array.isArray(g.options) ? g.options.filter(isObj) : []))
    : [];
  return [...direct, ...grouped];
}

function optionFor(el: Obj, value: string): Obj {
  const found = allOptions(el).find((o) => o.value === value);
  if (found) return found;
  if (String(el.type).includes('external')) return { text: { type: 'plain_text', text: value, emoji: true }, value };
  throw new Error(`option ${JSON.stringify(value)} is not one of ${el.type} ${String(el.action_id)}'s options`);
}

function list(v: SubmissionValue | undefined): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

function single(v: SubmissionValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? (v[0] as string | undefined) : String(v);
}

/** The `state.values` entry Slack sends for one element given the test's value (or the element's initial value). */
export function elementState(el: Obj, v: SubmissionValue | undefined): Obj {
  const type = String(el.type);
  if (isObj(v) && typeof v.type === 'string') return v;
  const s = single(v);
  const l = list(v);
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: s ?? (el.initial_value as string | undefined) ?? null };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: s !== undefined ? optionFor(el, s) : (el.initial_option ?? null) };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: l ? l.map((x) => optionFor(el, x)) : (el.initial_options ?? []) };
    case 'users_select':
      return { type, selected_user: s ?? el.initial_user ?? null };
    case 'multi_users_select':
      return { type, selected_users: l ?? el.initial_users ?? [] };
    case 'conversations_select':
      return { type, selected_conversation: s ?? el.initial_conversation ?? null };
    case 'multi_conversations_select':
      return { type, selected_conversations: l ?? el.initial_conversations ?? [] };
    case 'channels_select':
      return { type, selected_channel: s ?? el.initial_channel ?? null };
    case 'multi_channels_select':
      return { type, selected_channels: l ?? el.initial_channels ?? [] };
    case 'datepicker':
      return { type, selected_date: s ?? el.initial_date ?? null };
    case 'timepicker':
      return { type, selected_time: s ?? el.initial_time ?? null };
    case 'datetimepicker':
      return { type, selected_date_time: v !== undefined && v !== null ? Number(v) : (el.initial_date_time ?? null) };
    case 'rich_text_input':
      return {
        type,
        rich_text_value:
          s !== undefined
            ? { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: s }] }] }
            : (el.initial_value ?? null),
      };
    default:
      return { type, value: s ?? null };
  }
}

/**
 * Builds `state.values` ({[block_id]: {[action_id]: {...}}}) for a view's blocks. Keys of `values` may be an
 * action_id, a block_id or `block_id.action_id`. Every input block is included (with its initial value when not
 * given); elements of other blocks only when given. Throws for keys that match nothing.
 */
export function buildStateValues(blocks: readonly unknown[], values: Readonly<Record<string, SubmissionValue>>): Record<string, Record<string, Obj>> {
  const out: Record<string, Record<string, Obj>> = {};
  const used = new Set<string>();
  for (const b of blocks) {
    if (!isObj(b) || typeof b.block_id !== 'string') continue;
    const blockId = b.block_id;
    const elements: Obj[] =
      b.type === 'input' && isObj(b.element)
        ? [b.element]
        : [...(isObj(b.accessory) ? [b.accessory] : []), ...(Array.isArray(b.elements) ? b.elements.filter(isObj) : [])];
    for (const el of elements) {
      if (typeof el.action_id !== 'string') continue;
      const keys = [`${blockId}.${el.action_id}`, el.action_id, blockId];
      const key = keys.find((k) => k in values);
      if (key === undefined && b.type !== 'input') continue;
      if (key !== undefined) used.add(key);
      (out[blockId] ??= {})[el.action_id] = elementState(el, key !== undefined ? values[key] : undefined);
    }
  }
  const unknown = Object.keys(values).filter((k) => !used.has(k));
  if (unknown.length > 0) throw new Error(`no input in the view matches ${unknown.join(', ')}`);
  return out;
}
