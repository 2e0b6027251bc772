import { randomBytes } from 'node:crypto';
import type { SlackEmulator } from './emulator.js';
import { messageToSlack, viewToSlack } from './serialize.js';
import { signatureHeaders, type SignatureMode } from './signing.js';
import type { DeliverOptions, EnvelopeType, SocketAck } from './socket-mode.js';
import { APP_ID, TEAM_DOMAIN, TEAM_ID, type EmuMessage } from './state.js';
import { buildStateValues, type SubmissionValue } from './view-state.js';

/** How the driver reaches the bot: signed HTTP requests to its receiver, or envelopes over the emulator's Socket Mode link. */
export type DriverTransport = 'http' | 'socket';

/** Options of the driver. */
export interface SlackDriverOptions {
  /** Base URL of the bot's HTTP receiver, e.g. `http://127.0.0.1:3000` (unused over the socket). */
  botUrl: string;
  signingSecret: string;
  /** Default `http`; `socket` sends everything as Socket Mode envelopes (the bot must be connected to the emulator). */
  transport?: DriverTransport;
  emulator: SlackEmulator;
  /** Request path of the receiver (default `/slack/events`). */
  path?: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/** Per-request signature choice (default: a valid signature; HTTP only) and Socket Mode delivery options. */
export interface SignOptions {
  signature?: SignatureMode;
  /** Over the socket: lose acks, limit retries (ignored over HTTP). */
  socket?: DeliverOptions;
}

/** The bot's HTTP answer; `json` is the parsed body when it is JSON. */
export interface DriverResponse {
  status: number;
  text: string;
  // `any` on purpose: acks have many shapes and tests read them directly.
  json: any;
  headers: Record<string, string>;
  /** Over the socket: the acknowledgement as Slack received it. */
  ack?: SocketAck;
}

/** Answer to a slash command, with the response_url and trigger_id sent. */
export interface CommandResponse extends DriverResponse {
  responseUrl: string;
  triggerId: string;
}

/** Answer to an interaction, with the trigger_id (and response_url when one was sent). */
export interface InteractionResponse extends DriverResponse {
  triggerId: string;
  responseUrl?: string;
}

/** Answer to an Events API delivery, with its event_id. */
export interface EventResponse extends DriverResponse {
  eventId: string;
}

/** Options of `command`. */
export interface CommandOptions extends SignOptions {
  userId?: string;
  channelId?: string;
  command?: string;
}

/** Options of `blockAction`. */
export interface BlockActionOptions extends SignOptions {
  userId: string;
  actionId: string;
  channelId?: string;
  value?: string;
  blockId?: string;
  messageTs?: string;
  /** The view (id or object with id) the action happened in. */
  view?: string | { id: string };
  /** Element type; inferred from the message/view blocks, else `button`. */
  type?: string;
  /** Extra fields of the action (selected_option, selected_user, ...). */
  action?: Record<string, unknown>;
  /** `state.values` of the surface. */
  stateValues?: Record<string, Record<string, unknown>>;
}

/** The view part of a view_submission payload (merged over the emulator's stored view with that id). */
export interface SubmissionView {
  id: string;
  callback_id?: string;
  private_metadata?: string;
  state: { values: Record<string, Record<string, unknown>> };
  [key: string]: unknown;
}

/** Options of `viewSubmission`. */
export interface ViewSubmissionOptions extends SignOptions {
  userId: string;
  view: SubmissionView;
  hash?: string;
}

/** Options of `messageShortcut`. */
export interface MessageShortcutOptions extends SignOptions {
  callbackId: string;
  userId: string;
  channelId: string;
  message: { ts: string; text: string; user?: string; [key: string]: unknown };
}

/** Options of `globalShortcut`. */
export interface GlobalShortcutOptions extends SignOptions {
  callbackId: string;
  userId: string;
}

/** Options of `event`. */
export interface EventOptions extends SignOptions {
  eventId?: string;
  retryNum?: number;
  retryReason?: string;
}

/** Sends Slack's requests to the bot: signed (or deliberately wrongly signed) over HTTP, or as Socket Mode envelopes. */
export class SlackDriver {
  /** Where requests go; switch it to run the same flow over the other transport. */
  transport: DriverTransport;
  private readonly url: string;
  private readonly signingSecret: string;
  private readonly emulator: SlackEmulator;
  private readonly timeoutMs: number;

  /** Creates a driver for one bot. */
  constructor(opts: SlackDriverOptions) {
    this.url = `${opts.botUrl.replace(/\/+$/, '')}${opts.path ?? '/slack/events'}`;
    this.signingSecret = opts.signingSecret;
    this.emulator = opts.emulator;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.transport = opts.transport ?? 'http';
  }

  /** Runs a slash command (default `/incident` by U0001 in C_GENERAL). */
  async command(text: string, opts: CommandOptions = {}): Promise<CommandResponse> {
    const userId = opts.userId ?? 'U0001';
    const channelId = opts.channelId ?? 'C_GENERAL';
    const responseUrl = this.emulator.newResponseUrl();
    const triggerId = this.emulator.issueTriggerId(userId);
    const form = new URLSearchParams({
      token: 'emulator-verification-token',
      team_id: TEAM_ID,
      team_domain: TEAM_DOMAIN,
      channel_id: channelId,
      channel_name: this.channelName(channelId),
      user_id: userId,
      user_name: this.userName(userId),
      command: opts.command ?? '/incident',
      text,
      api_app_id: APP_ID,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    });
    const res = this.transport === 'socket'
      ? await this.overSocket('slash_commands', Object.fromEntries(form), opts.socket)
      : await this.post(form.toString(), 'application/x-www-form-urlencoded', {}, opts.signature);
    this.emulator.checkMessagePayload(`ack:${opts.command ?? '/incident'}`, res.json);
    return { ...res, responseUrl, triggerId };
  }

  /** Clicks/selects an interactive element in a message or a view. */
  async blockAction(opts: BlockActionOptions): Promise<InteractionResponse> {
    const triggerId = this.emulator.issueTriggerId(opts.userId);
    const viewId = typeof opts.view === 'string' ? opts.view : opts.view?.id;
    const storedView = viewId ? this.emulator.views.get(viewId) : undefined;
    const message = opts.messageTs ? this.findMessage(opts.messageTs, opts.channelId) : undefined;
    const channelId = opts.channelId ?? message?.channel;
    const found = findElement(storedView?.blocks ?? message?.blocks ?? [], opts.actionId, opts.blockId);
    const responseUrl = viewId ? undefined : this.emulator.newResponseUrl();
    const action: Record<string, unknown> = {
      type: opts.type ?? found?.element.type ?? 'button',
      action_id: opts.actionId,
      block_id: opts.blockId ?? found?.blockId ?? 'emulator-block',
      ...(found && found.element.text !== undefined ? { text: found.element.text } : {}),
      ...(opts.value !== undefined ? { value: opts.value } : found?.element.value !== undefined ? { value: found.element.value } : {}),
      action_ts: nowTs(),
      ...opts.action,
    };
    const payload: Record<string, unknown> = {
      type: 'block_actions',
      user: this.userObject(opts.userId),
      api_app_id: APP_ID,
      token: 'emulator-verification-token',
      container: viewId
        ? { type: 'view', view_id: viewId }
        : { type: 'message', message_ts: opts.messageTs ?? '', channel_id: channelId ?? '', is_ephemeral: !message && !!opts.messageTs },
      trigger_id: triggerId,
      team: { id: TEAM_ID, domain: TEAM_DOMAIN },
      enterprise: null,
      is_enterprise_install: false,
      ...(channelId ? { channel: { id: channelId, name: this.channelName(channelId) } } : {}),
      ...(message ? { message: messageToSlack(message) } : opts.messageTs ? { message: { type: 'message', ts: opts.messageTs, text: '' } } : {}),
      ...(viewId ? { view: storedView ? viewToSlack(storedView) : { id: viewId } } : {}),
      state: { values: opts.stateValues ?? {} },
      ...(responseUrl ? { response_url: responseUrl } : {}),
      actions: [action],
    };
    const res = await this.postPayload(payload, opts);
    return { ...res, triggerId, ...(responseUrl ? { responseUrl } : {}) };
  }

  /** Submits a modal; the bot's ack (close/update/push/errors) is applied to the emulator's views. */
  async viewSubmission(opts: ViewSubmissionOptions): Promise<InteractionResponse> {
    const triggerId = this.emulator.issueTriggerId(opts.userId);
    const stored = this.emulator.views.get(opts.view.id);
    const view = { ...(stored ? viewToSlack(stored) : { type: 'modal', team_id: TEAM_ID, app_id: APP_ID }), ...opts.view };
    if (opts.hash !== undefined) view.hash = opts.hash;
    const payload = {
      type: 'view_submission',
      team: { id: TEAM_ID, domain: TEAM_DOMAIN },
      user: this.userObject(opts.userId),
      api_app_id: APP_ID,
      token: 'emulator-verification-token',
      trigger_id: triggerId,
      view,
      response_urls: [],
      enterprise: null,
      is_enterprise_install: false,
    };
    const res = await this.postPayload(payload, opts);
    if (res.status === 200) this.emulator.applyViewSubmissionAck(opts.view.id, res.json ?? {});
    return { ...res, triggerId };
  }

  /** Closes a modal (sent only when the bot asked for notify_on_close, as Slack does — not checked here). */
  async viewClosed(opts: { userId: string; viewId: string } & SignOptions): Promise<DriverResponse> {
    const stored = this.emulator.views.get(opts.viewId);
    const payload = {
      type: 'view_closed',
      team: { id: TEAM_ID, domain: TEAM_DOMAIN },
      user: this.userObject(opts.userId),
      api_app_id: APP_ID,
      token: 'emulator-verification-token',
      view: stored ? viewToSlack(stored) : { id: opts.viewId },
      is_cleared: false,
      is_enterprise_install: false,
      enterprise: null,
    };
    if (stored) stored.closed = true;
    return this.postPayload(payload, opts);
  }

  /** Runs a message shortcut on a message. */
  async messageShortcut(opts: MessageShortcutOptions): Promise<InteractionResponse> {
    const triggerId = this.emulator.issueTriggerId(opts.userId);
    const responseUrl = this.emulator.newResponseUrl();
    const payload = {
      type: 'message_action',
      token: 'emulator-verification-token',
      action_ts: nowTs(),
      team: { id: TEAM_ID, domain: TEAM_DOMAIN },
      user: this.userObject(opts.userId),
      channel: { id: opts.channelId, name: this.channelName(opts.channelId) },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: opts.callbackId,
      trigger_id: triggerId,
      response_url: responseUrl,
      message_ts: opts.message.ts,
      message: { type: 'message', ...opts.message },
    };
    const res = await this.postPayload(payload, opts);
    return { ...res, triggerId, responseUrl };
  }

  /** Runs a global shortcut. */
  async globalShortcut(opts: GlobalShortcutOptions): Promise<InteractionResponse> {
    const triggerId = this.emulator.issueTriggerId(opts.userId);
    const payload = {
      type: 'shortcut',
      token: 'emulator-verification-token',
      action_ts: nowTs(),
      team: { id: TEAM_ID, domain: TEAM_DOMAIN },
      user: this.userObject(opts.userId),
      is_enterprise_install: false,
      enterprise: null,
      callback_id: opts.callbackId,
      trigger_id: triggerId,
    };
    const res = await this.postPayload(payload, opts);
    return { ...res, triggerId };
  }

  /** Delivers an Events API `event_callback` (with X-Slack-Retry-* headers when `retryNum` is set). */
  async event(innerEvent: Record<string, unknown>, opts: EventOptions = {}): Promise<EventResponse> {
    const eventId = opts.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
    const envelope = {
      token: 'emulator-verification-token',
      team_id: TEAM_ID,
      context_team_id: TEAM_ID,
      api_app_id: APP_ID,
      event: { event_ts: nowTs(), ...innerEvent },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(8).toString('hex')}`,
    };
    const headers: Record<string, string> = {};
    if (opts.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(opts.retryNum);
      headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
    }
    const res = this.transport === 'socket'
      ? await this.overSocket('events_api', envelope, opts.socket, opts.retryNum, opts.retryReason)
      : await this.post(JSON.stringify(envelope), 'application/json', headers, opts.signature);
    return { ...res, eventId };
  }

  /** A user writes in a conversation: the message is stored in the emulator and a `message` event is delivered. */
  async userMessage(opts: { userId: string; channelId: string; text: string; threadTs?: string } & EventOptions): Promise<EventResponse & { ts: string }> {
    const msg = this.emulator.postAsUser(opts.channelId, opts.userId, opts.text, opts.threadTs ? { threadTs: opts.threadTs } : {});
    const ch = this.emulator.channel(opts.channelId);
    const channelType = ch?.is_im ? 'im' : ch?.is_mpim ? 'mpim' : ch?.is_private ? 'group' : 'channel';
    const { userId: _u, channelId: _c, text: _t, threadTs: _th, ...eventOpts } = opts;
    const res = await this.event(
      {
        type: 'message',
        channel: opts.channelId,
        user: opts.userId,
        text: opts.text,
        ts: msg.ts,
        event_ts: msg.ts,
        channel_type: channelType,
        team: TEAM_ID,
        ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
      },
      eventOpts,
    );
    return { ...res, ts: msg.ts };
  }

  /** Sends Slack's url_verification challenge. */
  async urlVerification(challenge: string, opts: SignOptions = {}): Promise<DriverResponse> {
    this.httpOnly('url_verification');
    const body = JSON.stringify({ token: 'emulator-verification-token', challenge, type: 'url_verification' });
    return this.post(body, 'application/json', {}, opts.signature);
  }

  /** Sends any body (objects as JSON) with extra headers. */
  async raw(body: string | Record<string, unknown>, headers: Record<string, string> = {}, opts: SignOptions = {}): Promise<DriverResponse> {
    this.httpOnly('a raw HTTP request');
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = headers['content-type'] ?? headers['Content-Type'] ?? (typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json');
    return this.post(text, type, headers, opts.signature);
  }

  /** A view_submission `view` for a modal the bot opened, with `state.values` filled from `values`. */
  submissionFromOpenedView(viewId: string, values: Readonly<Record<string, SubmissionValue>> = {}): SubmissionView {
    const stored = this.emulator.views.get(viewId);
    if (!stored) throw new Error(`the emulator has no view ${viewId}`);
    return { ...viewToSlack(stored), id: stored.id, callback_id: stored.callback_id, private_metadata: stored.private_metadata, state: { values: buildStateValues(stored.blocks, values) } };
  }

  private async postPayload(payload: Record<string, unknown>, opts: SignOptions = {}): Promise<DriverResponse> {
    if (this.transport === 'socket') return this.overSocket('interactive', payload, opts.socket);
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, 'application/x-www-form-urlencoded', {}, opts.signature);
  }

  /** Delivers an envelope over the emulator's Socket Mode link; the ack reads like an HTTP answer (empty ack = empty body). */
  private async overSocket(type: EnvelopeType, payload: Record<string, unknown>, opts: DeliverOptions = {}, retryNum?: number, retryReason?: string): Promise<DriverResponse> {
    const retry = retryNum !== undefined ? { retryAttempt: retryNum, retryReason: retryReason ?? 'timeout' } : {};
    const ack = await this.emulator.socketMode.deliver(type, payload, { timeoutMs: this.timeoutMs, ...retry, ...opts });
    const empty = Object.keys(ack.payload).length === 0;
    return { status: 200, text: empty ? '' : JSON.stringify(ack.payload), json: empty ? undefined : ack.payload, headers: {}, ack };
  }

  private httpOnly(what: string): void {
    if (this.transport === 'socket') throw new Error(`${what} exists only over HTTP; this driver sends over the socket`);
  }

  private async post(body: string, contentType: string, headers: Record<string, string>, signature: SignatureMode = 'valid'): Promise<DriverResponse> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': contentType, ...headers, ...signatureHeaders(this.signingSecret, body, signature) },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: Object.fromEntries(res.headers.entries()) };
  }

  private channelName(channelId: string): string {
    const ch = this.emulator.channel(channelId);
    if (ch?.is_im || channelId.startsWith('D')) return 'directmessage';
    if (ch?.is_private && !ch.is_mpim) return 'privategroup';
    return ch?.name ?? channelId.toLowerCase();
  }

  private userName(userId: string): string {
    return this.emulator.users.get(userId)?.name ?? userId.toLowerCase();
  }

  private userObject(userId: string): Record<string, unknown> {
    const name = this.userName(userId);
    return { id: userId, username: name, name, team_id: TEAM_ID };
  }

  private findMessage(ts: string, channelId?: string): EmuMessage | undefined {
    const channels = channelId ? [channelId] : this.emulator.channels.map((c) => c.id);
    for (const id of channels) {
      const m = this.emulator.messages(id).find((x) => x.ts === ts);
      if (m) return m;
    }
    return undefined;
  }
}

function nowTs(): string {
  const ms = Date.now();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

function findElement(blocks: readonly unknown[], actionId: string, blockId?: string): { blockId: string; element: Record<string, unknown> } | undefined {
  for (const b of blocks) {
    if (typeof b !== 'object' || b === null) continue;
    const block = b as Record<string, unknown>;
    if (blockId && block.block_id !== blockId) continue;
    const elements = [block.accessory, block.element, ...(Array.isArray(block.elements) ? block.elements : [])];
    for (const el of elements) {
      if (typeof el === 'object' && el !== null && (el as Record<string, unknown>).action_id === actionId) {
        return { blockId: String(block.block_id), element: el as Record<string, unknown> };
      }
    }
  }
  return undefined;
}
