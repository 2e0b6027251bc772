import { argString } from '../args.js';
import { checkView, formatProblems, LIMITS } from '../block-kit.js';
import { SlackApiError, type MethodContext, type MethodHandler } from '../method-context.js';
import { viewToSlack } from '../serialize.js';
import { APP_ID, BOT_ID, TEAM_ID, type EmuTrigger, type EmuView } from '../state.js';
import { assignBlockIds } from './common.js';

/** Validates a view payload; answers `view_too_large` or `invalid_arguments` (recording a violation). */
export function validateViewPayload(ctx: MethodContext, raw: unknown, expectedType?: 'modal' | 'home'): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] invalid `view`'] } });
  }
  const view = raw as Record<string, unknown>;
  if (JSON.stringify(view).length > LIMITS.viewBytes) {
    ctx.violate('limit', `view is larger than ${LIMITS.viewBytes} bytes`);
    throw new SlackApiError('view_too_large');
  }
  const problems = checkView(view);
  if (expectedType && view.type !== expectedType) problems.push({ pointer: '/view/type', message: `must be ${expectedType}` });
  if (problems.length > 0) {
    ctx.violate('block_kit', problems.map((p) => `${p.pointer}: ${p.message}`).join('; '), problems);
    throw new SlackApiError('invalid_arguments', { response_metadata: { messages: formatProblems(problems) } });
  }
  return view;
}

/** Builds a stored view from a validated payload, keeping identity fields from `base` when updating. */
export function buildView(ctx: MethodContext, view: Record<string, unknown>, base: Partial<EmuView> & { user_id: string }): EmuView {
  const id = base.id ?? ctx.state.nextId('V');
  const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
  return {
    id,
    team_id: TEAM_ID,
    type: view.type === 'home' ? 'home' : 'modal',
    ...(view.title !== undefined ? { title: view.title } : {}),
    ...(view.submit !== undefined ? { submit: view.submit } : {}),
    ...(view.close !== undefined ? { close: view.close } : {}),
    blocks: assignBlockIds((view.blocks as Record<string, unknown>[] | undefined) ?? []),
    private_metadata: str(view.private_metadata),
    callback_id: str(view.callback_id),
    external_id: str(view.external_id),
    state: base.state ?? { values: {} },
    hash: ctx.state.nextHash(),
    clear_on_close: view.clear_on_close === true,
    notify_on_close: view.notify_on_close === true,
    root_view_id: base.root_view_id ?? id,
    previous_view_id: base.previous_view_id ?? null,
    app_id: APP_ID,
    bot_id: BOT_ID,
    app_installed_team_id: TEAM_ID,
    user_id: base.user_id,
    closed: false,
  };
}

function exchangeTrigger(ctx: MethodContext): EmuTrigger {
  const id = argString(ctx.args, 'trigger_id') ?? argString(ctx.args, 'interactivity_pointer');
  if (!id) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
  const trigger = ctx.state.triggers.get(id);
  if (!trigger) throw new SlackApiError('invalid_trigger_id');
  if (trigger.exchanged) throw new SlackApiError('exchanged_trigger_id');
  if (ctx.state.now() - trigger.issuedAt >= ctx.triggerTtlMs) throw new SlackApiError('expired_trigger_id');
  return trigger;
}

function checkExternalId(ctx: MethodContext, view: Record<string, unknown>, except?: string): void {
  const ext = view.external_id;
  if (typeof ext !== 'string' || ext === '') return;
  for (const v of ctx.state.views.values()) {
    if (v.external_id === ext && v.id !== except) throw new SlackApiError('duplicate_external_id');
  }
}

function openStack(ctx: MethodContext, userId: string): EmuView[] {
  const open = [...ctx.state.views.values()].filter((v) => v.type === 'modal' && v.user_id === userId && !v.closed);
  const top = open[open.length - 1];
  return top ? open.filter((v) => v.root_view_id === top.root_view_id) : [];
}

/** views.* handlers. */
export const viewMethods: Record<string, MethodHandler> = {
  'views.open': (ctx) => {
    const payload = validateViewPayload(ctx, ctx.args.view, 'modal');
    const trigger = exchangeTrigger(ctx);
    checkExternalId(ctx, payload);
    trigger.exchanged = true;
    for (const v of openStack(ctx, trigger.userId)) v.closed = true;
    const view = buildView(ctx, payload, { user_id: trigger.userId });
    ctx.state.views.set(view.id, view);
    return { view: viewToSlack(view) };
  },

  'views.push': (ctx) => {
    const payload = validateViewPayload(ctx, ctx.args.view, 'modal');
    const trigger = exchangeTrigger(ctx);
    checkExternalId(ctx, payload);
    const stack = openStack(ctx, trigger.userId);
    const top = stack[stack.length - 1];
    if (!top) throw new SlackApiError('not_found');
    if (stack.length >= 3) throw new SlackApiError('push_limit_reached');
    trigger.exchanged = true;
    const view = buildView(ctx, payload, { user_id: trigger.userId, root_view_id: top.root_view_id, previous_view_id: top.id });
    ctx.state.views.set(view.id, view);
    return { view: viewToSlack(view) };
  },

  'views.update': (ctx) => {
    const viewId = argString(ctx.args, 'view_id');
    const externalId = argString(ctx.args, 'external_id');
    if (!viewId && !externalId) {
      throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] either view_id or external_id is required'] } });
    }
    const existing = viewId
      ? ctx.state.views.get(viewId)
      : [...ctx.state.views.values()].find((v) => v.external_id === externalId);
    if (!existing) throw new SlackApiError('not_found');
    const payload = validateViewPayload(ctx, ctx.args.view, existing.type);
    const hash = argString(ctx.args, 'hash');
    if (hash !== undefined && hash !== existing.hash) throw new SlackApiError('hash_conflict');
    checkExternalId(ctx, payload, existing.id);
    const view = buildView(ctx, payload, { ...existing });
    view.closed = existing.closed;
    ctx.state.views.set(view.id, view);
    if (view.type === 'home') ctx.state.homeViews.set(view.user_id, view);
    return { view: viewToSlack(view) };
  },

  'views.publish': (ctx) => {
    const userId = argString(ctx.args, 'user_id') ?? '';
    const payload = validateViewPayload(ctx, ctx.args.view, 'home');
    if (!ctx.state.users.has(userId)) {
      throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] invalid `user_id`'] } });
    }
    const existing = ctx.state.homeViews.get(userId);
    const hash = argString(ctx.args, 'hash');
    if (hash !== undefined && existing && hash !== existing.hash) throw new SlackApiError('hash_conflict');
    checkExternalId(ctx, payload, existing?.id);
    const view = buildView(ctx, payload, existing ? { ...existing } : { user_id: userId });
    ctx.state.views.set(view.id, view);
    ctx.state.homeViews.set(userId, view);
    return { view: viewToSlack(view) };
  },
};
