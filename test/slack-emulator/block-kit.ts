/** Block Kit limits from Slack's docs (see shared/slack/README.md). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  messageText: 40000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  imageAltText: 2000,
  markdownText: 12000,
  viewBytes: 250_000,
} as const;

/** One Block Kit rule a payload broke, with a JSON pointer into the payload. */
export interface BlockProblem {
  pointer: string;
  message: string;
}

/** The surfaces blocks can be shown on; each has its own block count limit. */
export type Surface = 'message' | 'modal' | 'home';

/** Block types Slack knows. */
export const KNOWN_BLOCK_TYPES: ReadonlySet<string> = new Set([
  'actions', 'context', 'context_actions', 'divider', 'file', 'header', 'image', 'input',
  'markdown', 'rich_text', 'section', 'video', 'call', 'table',
]);

const SELECT_TYPES = new Set([
  'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select',
  'multi_static_select', 'multi_external_select', 'multi_users_select', 'multi_conversations_select',
  'multi_channels_select',
]);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  readonly problems: BlockProblem[] = [];

  fail(pointer: string, message: string): void {
    this.problems.push({ pointer, message });
  }

  maxLen(v: unknown, max: number, pointer: string): void {
    if (typeof v === 'string' && v.length > max) this.fail(pointer, `must be less than ${max + 1} characters`);
  }

  id(v: unknown, pointer: string): void {
    if (v === undefined) return;
    if (typeof v !== 'string') this.fail(pointer, 'must be a string');
    else this.maxLen(v, LIMITS.id, pointer);
  }

  text(v: unknown, pointer: string, max: number, opts: { plainOnly?: boolean; required?: boolean } = {}): void {
    if (v === undefined) {
      if (opts.required !== false) this.fail(pointer, 'is required');
      return;
    }
    if (!isObj(v)) return this.fail(pointer, 'must be a text object');
    if (v.type !== 'plain_text' && v.type !== 'mrkdwn') return this.fail(`${pointer}/type`, 'must be plain_text or mrkdwn');
    if (opts.plainOnly && v.type !== 'plain_text') this.fail(`${pointer}/type`, 'must be plain_text');
    if (typeof v.text !== 'string') return this.fail(`${pointer}/text`, 'must be a string');
    if (v.text.length === 0) this.fail(`${pointer}/text`, 'must be more than 0 characters');
    this.maxLen(v.text, max, `${pointer}/text`);
  }

  option(v: unknown, pointer: string): void {
    if (!isObj(v)) return this.fail(pointer, 'must be an option object');
    this.text(v.text, `${pointer}/text`, LIMITS.optionText);
    if (typeof v.value !== 'string') this.fail(`${pointer}/value`, 'must be a string');
    else this.maxLen(v.value, LIMITS.optionValue, `${pointer}/value`);
  }

  options(v: unknown, pointer: string, max: number): void {
    if (v === undefined) return;
    if (!Array.isArray(v)) return this.fail(pointer, 'must be an array');
    if (v.length > max) this.fail(pointer, `must provide no more than ${max} items`);
    v.forEach((o, i) => this.option(o, `${pointer}/${i}`));
  }

  element(el: unknown, pointer: string): void {
    if (!isObj(el)) return this.fail(pointer, 'must be an element object');
    if (typeof el.type !== 'string') return this.fail(`${pointer}/type`, 'is required');
    this.id(el.action_id, `${pointer}/action_id`);
    if (el.placeholder !== undefined) this.text(el.placeholder, `${pointer}/placeholder`, LIMITS.placeholder, { plainOnly: true });
    if (el.type === 'button') {
      this.text(el.text, `${pointer}/text`, LIMITS.buttonText, { plainOnly: true });
      this.maxLen(el.value, LIMITS.buttonValue, `${pointer}/value`);
      this.maxLen(el.url, LIMITS.url, `${pointer}/url`);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
        this.fail(`${pointer}/style`, 'must be primary or danger');
      }
    } else if (SELECT_TYPES.has(el.type)) {
      this.options(el.options, `${pointer}/options`, LIMITS.selectOptions);
      this.options(el.initial_options, `${pointer}/initial_options`, LIMITS.selectOptions);
      if (el.option_groups !== undefined) {
        if (!Array.isArray(el.option_groups)) this.fail(`${pointer}/option_groups`, 'must be an array');
        else el.option_groups.forEach((g, i) => isObj(g) && this.options(g.options, `${pointer}/option_groups/${i}/options`, LIMITS.selectOptions));
      }
    } else if (el.type === 'overflow') {
      this.options(el.options, `${pointer}/options`, 5);
    } else if (el.type === 'checkboxes' || el.type === 'radio_buttons') {
      this.options(el.options, `${pointer}/options`, 10);
    } else if (el.type === 'image') {
      if (typeof el.alt_text !== 'string') this.fail(`${pointer}/alt_text`, 'is required');
    }
  }

  block(b: unknown, pointer: string, seen: Set<string>): void {
    if (!isObj(b)) return this.fail(pointer, 'must be a block object');
    if (typeof b.type !== 'string' || !KNOWN_BLOCK_TYPES.has(b.type)) {
      return this.fail(`${pointer}/type`, `unknown block type ${JSON.stringify(b.type)}`);
    }
    if (b.block_id !== undefined) {
      this.id(b.block_id, `${pointer}/block_id`);
      if (typeof b.block_id === 'string') {
        if (seen.has(b.block_id)) this.fail(`${pointer}/block_id`, `duplicate block_id ${b.block_id}`);
        seen.add(b.block_id);
      }
    }
    switch (b.type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined) this.fail(pointer, 'must provide text or fields');
        if (b.text !== undefined) this.text(b.text, `${pointer}/text`, LIMITS.sectionText);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields)) this.fail(`${pointer}/fields`, 'must be an array');
          else {
            if (b.fields.length > LIMITS.sectionFields) this.fail(`${pointer}/fields`, `must provide no more than ${LIMITS.sectionFields} items`);
            b.fields.forEach((f, i) => this.text(f, `${pointer}/fields/${i}`, LIMITS.sectionFieldText));
          }
        }
        if (b.accessory !== undefined) this.element(b.accessory, `${pointer}/accessory`);
        break;
      }
      case 'header':
        this.text(b.text, `${pointer}/text`, LIMITS.headerText, { plainOnly: true });
        break;
      case 'context':
        this.elements(b.elements, `${pointer}/elements`, LIMITS.contextElements, (el, p) => {
          if (isObj(el) && (el.type === 'plain_text' || el.type === 'mrkdwn')) this.text(el, p, LIMITS.sectionText);
          else this.element(el, p);
        });
        break;
      case 'actions':
        this.elements(b.elements, `${pointer}/elements`, LIMITS.actionsElements, (el, p) => this.element(el, p));
        this.uniqueActionIds(b.elements, `${pointer}/elements`);
        break;
      case 'input':
        this.text(b.label, `${pointer}/label`, LIMITS.inputLabel, { plainOnly: true });
        if (b.hint !== undefined) this.text(b.hint, `${pointer}/hint`, LIMITS.inputHint, { plainOnly: true });
        if (b.element === undefined) this.fail(`${pointer}/element`, 'is required');
        else this.element(b.element, `${pointer}/element`);
        break;
      case 'image':
        if (typeof b.alt_text !== 'string') this.fail(`${pointer}/alt_text`, 'is required');
        else this.maxLen(b.alt_text, LIMITS.imageAltText, `${pointer}/alt_text`);
        if (b.image_url === undefined && b.slack_file === undefined) this.fail(`${pointer}/image_url`, 'is required');
        this.maxLen(b.image_url, LIMITS.url, `${pointer}/image_url`);
        break;
      case 'markdown':
        if (typeof b.text !== 'string') this.fail(`${pointer}/text`, 'is required');
        else this.maxLen(b.text, LIMITS.markdownText, `${pointer}/text`);
        break;
      case 'rich_text':
        if (!Array.isArray(b.elements)) this.fail(`${pointer}/elements`, 'must be an array');
        break;
      default:
        break;
    }
  }

  elements(v: unknown, pointer: string, max: number, each: (el: unknown, pointer: string) => void): void {
    if (!Array.isArray(v)) return this.fail(pointer, 'must be an array');
    if (v.length === 0) this.fail(pointer, 'must provide at least 1 item');
    if (v.length > max) this.fail(pointer, `must provide no more than ${max} items`);
    v.forEach((el, i) => each(el, `${pointer}/${i}`));
  }

  uniqueActionIds(v: unknown, pointer: string): void {
    if (!Array.isArray(v)) return;
    const seen = new Set<string>();
    v.forEach((el, i) => {
      if (!isObj(el) || typeof el.action_id !== 'string') return;
      if (seen.has(el.action_id)) this.fail(`${pointer}/${i}/action_id`, `duplicate action_id ${el.action_id}`);
      seen.add(el.action_id);
    });
  }

  blocks(v: unknown, surface: Surface, pointer: string): void {
    if (!Array.isArray(v)) return this.fail(pointer, 'must be an array');
    const max = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
    if (v.length > max) this.fail(pointer, `must provide no more than ${max} items`);
    const seen = new Set<string>();
    v.forEach((b, i) => this.block(b, `${pointer}/${i}`, seen));
  }
}

/** Checks a blocks array against Block Kit rules for a surface; empty when valid. */
export function checkBlocks(blocks: unknown, surface: Surface = 'message', pointer = '/blocks'): BlockProblem[] {
  const c = new Checker();
  c.blocks(blocks, surface, pointer);
  return c.problems;
}

/** Checks a modal or Home tab view payload (blocks, title/submit/close, ids, private_metadata). */
export function checkView(view: unknown, pointer = '/view'): BlockProblem[] {
  const c = new Checker();
  if (!isObj(view)) {
    c.fail(pointer, 'must be a view object');
    return c.problems;
  }
  if (view.type !== 'modal' && view.type !== 'home') {
    c.fail(`${pointer}/type`, 'must be modal or home');
    return c.problems;
  }
  if (view.type === 'modal') {
    c.text(view.title, `${pointer}/title`, LIMITS.viewTitle, { plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (view.submit !== undefined) c.text(view.submit, `${pointer}/submit`, LIMITS.viewButton, { plainOnly: true });
    else if (hasInput) c.fail(`${pointer}/submit`, 'is required when the view has input blocks');
    if (view.close !== undefined) c.text(view.close, `${pointer}/close`, LIMITS.viewButton, { plainOnly: true });
  }
  c.id(view.callback_id, `${pointer}/callback_id`);
  c.id(view.external_id, `${pointer}/external_id`);
  if (view.private_metadata !== undefined) {
    if (typeof view.private_metadata !== 'string') c.fail(`${pointer}/private_metadata`, 'must be a string');
    else c.maxLen(view.private_metadata, LIMITS.privateMetadata, `${pointer}/private_metadata`);
  }
  c.blocks(view.blocks, view.type, `${pointer}/blocks`);
  return c.problems;
}

/** Renders problems the way Slack reports them in `response_metadata.messages`. */
export function formatProblems(problems: readonly BlockProblem[]): string[] {
  return problems.map((p) => `[ERROR] ${p.message} [json-pointer:${p.pointer}]`);
}
