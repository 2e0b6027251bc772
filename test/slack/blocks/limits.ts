/** A small Block Kit limits checker for the builder tests, plus helpers to read rendered text out of payloads. */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a payload is shown; messages allow 50 blocks, modals and the Home tab 100. */
export type Surface = 'message' | 'modal' | 'home';

class Problems {
  readonly list: string[] = [];
  add(where: string, what: string): void {
    this.list.push(`${where}: ${what}`);
  }
  len(v: unknown, max: number, where: string): void {
    if (typeof v === 'string' && v.length > max) this.add(where, `${v.length} > ${max} characters`);
  }
  text(v: unknown, max: number, where: string, plainOnly = false): void {
    if (!isObj(v)) return this.add(where, 'missing text object');
    if (v.type !== 'plain_text' && v.type !== 'mrkdwn') return this.add(where, `bad text type ${String(v.type)}`);
    if (plainOnly && v.type !== 'plain_text') this.add(where, 'must be plain_text');
    if (typeof v.text !== 'string' || v.text.length === 0) return this.add(where, 'empty text');
    this.len(v.text, max, where);
  }
  id(v: unknown, where: string): void {
    if (v !== undefined) this.len(v, 255, where);
  }
  option(o: unknown, where: string): void {
    if (!isObj(o)) return this.add(where, 'bad option');
    this.text(o.text, 75, `${where}.text`);
    if (o.description !== undefined) this.text(o.description, 75, `${where}.description`);
    this.len(o.value, 150, `${where}.value`);
  }
  element(el: unknown, where: string): void {
    if (!isObj(el)) return this.add(where, 'bad element');
    this.id(el.action_id, `${where}.action_id`);
    if (el.placeholder !== undefined) this.text(el.placeholder, 150, `${where}.placeholder`, true);
    if (el.type === 'button') {
      this.text(el.text, 75, `${where}.text`, true);
      this.len(el.value, 2000, `${where}.value`);
    }
    if (Array.isArray(el.options)) {
      if (el.options.length > 100) this.add(where, 'more than 100 options');
      el.options.forEach((o, i) => this.option(o, `${where}.options[${i}]`));
    }
    if (el.initial_option !== undefined) this.option(el.initial_option, `${where}.initial_option`);
    if (el.type === 'plain_text_input') {
      const max = typeof el.max_length === 'number' ? el.max_length : 3000;
      if (max > 3000) this.add(where, 'max_length > 3000');
      this.len(el.initial_value, max, `${where}.initial_value`);
    }
  }
  block(b: unknown, where: string, seen: Set<string>): void {
    if (!isObj(b)) return this.add(where, 'bad block');
    if (b.block_id !== undefined) {
      this.id(b.block_id, `${where}.block_id`);
      if (seen.has(String(b.block_id))) this.add(where, `duplicate block_id ${String(b.block_id)}`);
      seen.add(String(b.block_id));
    }
    switch (b.type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined) this.add(where, 'section without text or fields');
        if (b.text !== undefined) this.text(b.text, 3000, `${where}.text`);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) this.add(where, 'more than 10 fields');
          else b.fields.forEach((f, i) => this.text(f, 2000, `${where}.fields[${i}]`));
        }
        if (b.accessory !== undefined) this.element(b.accessory, `${where}.accessory`);
        break;
      case 'header':
        this.text(b.text, 150, `${where}.text`, true);
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) this.add(where, 'context needs 1–10 elements');
        else b.elements.forEach((e, i) => this.text(e, 3000, `${where}.elements[${i}]`));
        break;
      case 'actions': {
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25) return this.add(where, 'actions needs 1–25 elements');
        const ids = new Set<string>();
        b.elements.forEach((e, i) => {
          this.element(e, `${where}.elements[${i}]`);
          const id = isObj(e) ? String(e.action_id) : '';
          if (ids.has(id)) this.add(where, `duplicate action_id ${id}`);
          ids.add(id);
        });
        break;
      }
      case 'input':
        this.text(b.label, 2000, `${where}.label`, true);
        if (b.hint !== undefined) this.text(b.hint, 2000, `${where}.hint`, true);
        this.element(b.element, `${where}.element`);
        break;
      case 'divider':
        break;
      default:
        this.add(where, `unexpected block type ${String(b.type)}`);
    }
  }
  blocks(blocks: unknown, max: number, where: string): void {
    if (!Array.isArray(blocks)) return this.add(where, 'blocks must be an array');
    if (blocks.length === 0) this.add(where, 'no blocks');
    if (blocks.length > max) this.add(where, `${blocks.length} > ${max} blocks`);
    const seen = new Set<string>();
    blocks.forEach((b, i) => this.block(b, `${where}[${i}]`, seen));
  }
}

/** Limit violations of a message payload `{ text, blocks }` (empty when valid). */
export function messageProblems(msg: { text: string; blocks: unknown[] }): string[] {
  const p = new Problems();
  if (typeof msg.text !== 'string' || msg.text.trim() === '') p.add('text', 'fallback text is empty');
  p.len(msg.text, 40_000, 'text');
  p.blocks(msg.blocks, 50, 'blocks');
  return p.list;
}

/** Limit violations of a modal or Home tab view (empty when valid). */
export function viewProblems(view: unknown): string[] {
  const p = new Problems();
  if (!isObj(view)) return ['view is not an object'];
  if (view.type === 'modal') {
    p.text(view.title, 24, 'title', true);
    if (view.submit !== undefined) p.text(view.submit, 24, 'submit', true);
    if (view.close !== undefined) p.text(view.close, 24, 'close', true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) p.add('submit', 'required with input blocks');
  } else if (view.type !== 'home') {
    p.add('type', 'must be modal or home');
  }
  p.id(view.callback_id, 'callback_id');
  p.len(view.private_metadata, 3000, 'private_metadata');
  p.blocks(view.blocks, 100, 'blocks');
  return p.list;
}

/** Every string Slack renders from a payload: text objects anywhere inside, plus a message's fallback `text`. */
export function renderedTexts(payload: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) {
      if ((v.type === 'mrkdwn' || v.type === 'plain_text') && typeof v.text === 'string') out.push(v.text);
      for (const [k, child] of Object.entries(v)) if (k !== 'text' || typeof child !== 'string') walk(child);
    }
  };
  walk(payload);
  if (isObj(payload) && typeof payload.text === 'string') out.push(payload.text);
  return out;
}

/** All rendered text of a payload, joined by newlines (for content assertions). */
export function allText(payload: unknown): string {
  return renderedTexts(payload).join('\n');
}

const OWN_TOKENS = [
  /<!date\^\d+\^[^|<>]+\|[^<>]+>/g, // slackDate
  /<@[UWB][A-Z0-9]+>/g, // user mentions made from ids
  /<#[CG][A-Z0-9]+>/g, // channel links
  /<https?:\/\/[^\s<>|]+\|[^<>]*>/g, // permalinks and links people typed
];

/** Markup problems in rendered text: any `<` that is not one of the bot's own tokens, or a bare `&` that is not an entity. */
export function markupProblems(payload: unknown): string[] {
  const problems: string[] = [];
  for (const t of renderedTexts(payload)) {
    let rest = t;
    for (const re of OWN_TOKENS) rest = rest.replace(re, '');
    const at = rest.indexOf('<');
    if (at >= 0) problems.push(`raw < in ${JSON.stringify(rest.slice(Math.max(0, at - 40), at + 40))}`);
    if (/&(?!amp;|lt;|gt;)/.test(rest)) problems.push(`bare & in ${JSON.stringify(t.slice(0, 80))}`);
  }
  return problems;
}
