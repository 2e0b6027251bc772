import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { argPresent, type Args } from './args.js';
import { checkBlocks, formatProblems, type BlockProblem } from './block-kit.js';
import { ContractStore, JSON_ARGS, resolveContractsDir } from './contracts.js';
import { describeFault, FaultPlan, RateLimiter, type Fault, type InjectedFault, type InjectOptions, type RateLimit } from './faults.js';
import { multipartBoundary, parseArgs, parseMultipart, readBody } from './http-body.js';
import { SlackApiError, type MethodContext, type Violation, type ViolationKind } from './method-context.js';
import { METHOD_HANDLERS } from './methods/index.js';
import { buildView, validateViewPayload } from './methods/views.js';
import { SocketModeEndpoint, type SocketModeOptions } from './socket-mode.js';
import {
  BOT_USER_ID,
  SEEDED_USER_IDS,
  WorkspaceState,
  type CreateChannelOptions,
  type EmuChannel,
  type EmuEphemeral,
  type EmuFile,
  type EmuMessage,
  type EmuResponse,
  type EmuUser,
  type EmuView,
} from './state.js';

/** Options of the emulator. */
export interface SlackEmulatorOptions {
  /** Where `methods/*.json` live; default `$SLACK_CONTRACTS_DIR` or `<repo>/../shared/slack`. */
  contractsDir?: string;
  /** Clock in ms (message ts, trigger expiry, rate limits). */
  now?: () => number;
  /** How long a trigger_id stays valid (Slack: 3 s). */
  triggerTtlMs?: number;
  /** The user xoxp- tokens act as. */
  userTokenOwner?: string;
  /** Socket Mode settings (accepted app-level token, ack timeout, pings). */
  socketMode?: SocketModeOptions;
}

/** One Web API call the emulator received. */
export interface CallRecord {
  seq: number;
  method: string;
  args: Args;
  token: string | undefined;
  /** When the call arrived (ms). */
  at: number;
  /** HTTP status answered (0 when the socket was reset or the call hung). */
  status: number;
  response?: Record<string, unknown>;
  /** The Slack error code (or `http_<status>`) when the call failed. */
  error?: string;
  /** Description of the injected fault that answered the call. */
  fault?: string;
  /** The method has no emulation and got a generic `{ok:true}`. */
  generic?: boolean;
  durationMs?: number;
}

/** Options of `waitFor`. */
export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  message?: string;
}

/** What the emulator answers to one Web API call. */
interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  generic?: boolean;
}

const MAX_RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

/** A Slack Web API emulator on 127.0.0.1, checking every call against Slack's published contracts. */
export class SlackEmulator {
  /** Slack's method contracts. */
  readonly contracts: ContractStore;
  /** Every Web API call received, oldest first. */
  readonly calls: CallRecord[] = [];
  /** Every rule broken (Block Kit, limits, response_url misuse, contract breaches of the emulator). */
  readonly violations: Violation[] = [];
  /** Non-fatal oddities (unknown arguments, upload size mismatches). */
  readonly warnings: string[] = [];
  /** Socket Mode: `apps.connections.open` links on this emulator, envelopes, acks, retries, refreshes. */
  readonly socketMode: SocketModeEndpoint;
  private state: WorkspaceState;
  private readonly now: () => number;
  private readonly triggerTtlMs: number;
  private readonly userTokenOwner: string;
  private readonly faults = new FaultPlan();
  private readonly limiter = new RateLimiter();
  private latencyMs = 0;
  private outage = false;
  /** Tokens Slack no longer accepts, with the error it answers for them. */
  private readonly refused = new Map<string, string>();
  private server: Server | undefined;
  private port = 0;
  private seq = 0;
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<ServerResponse>();
  private readonly sleepers = new Set<() => void>();

  /** Creates an emulator (not listening yet) with a seeded workspace. */
  constructor(opts: SlackEmulatorOptions = {}) {
    this.contracts = new ContractStore(opts.contractsDir ?? resolveContractsDir());
    this.now = opts.now ?? Date.now;
    this.triggerTtlMs = opts.triggerTtlMs ?? 3000;
    this.userTokenOwner = opts.userTokenOwner ?? SEEDED_USER_IDS[0] ?? 'U0001';
    this.state = new WorkspaceState(this.now);
    this.socketMode = new SocketModeEndpoint(() => this.baseUrl, opts.socketMode);
  }

  // ---------------------------------------------------------------- lifecycle

  /** From now on every call with `token` fails with `error` (a wrong, revoked or deactivated token); `null` accepts it again. */
  refuseToken(token: string, error: 'invalid_auth' | 'token_revoked' | 'account_inactive' | null = 'invalid_auth'): void {
    if (error === null) this.refused.delete(token);
    else this.refused.set(token, error);
  }


  /** Listens on 127.0.0.1 on a free port. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`emulator error: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('upgrade', (req, socket, head) => this.socketMode.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stops listening and destroys every socket, hung requests included. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.socketMode.close();
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  /** `http://127.0.0.1:<port>/` */
  get baseUrl(): string {
    if (!this.port) throw new Error('SlackEmulator is not started');
    return `http://127.0.0.1:${this.port}/`;
  }

  /** `http://127.0.0.1:<port>/api/` — give it to WebClient as `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}api/`;
  }

  /** Clears all state, calls, violations, faults, latency, outage and rate limits (keeps listening). */
  reset(): void {
    this.state = new WorkspaceState(this.now);
    this.calls.length = 0;
    this.violations.length = 0;
    this.warnings.length = 0;
    this.faults.clear();
    this.limiter.clear();
    this.latencyMs = 0;
    this.outage = false;
    this.seq = 0;
    this.socketMode.reset();
  }

  // ---------------------------------------------------------------- workspace setup

  /** Adds a workspace member. */
  addUser(id: string, name: string, tz?: string, profile?: { realName?: string; displayName?: string }): EmuUser {
    return this.state.addUser(id, name, tz, profile);
  }

  /** Adds a pre-existing conversation (e.g. an announce channel with `publicPostAllowed`). Members default to none. */
  createChannel(name: string, opts: CreateChannelOptions = {}): EmuChannel {
    if (this.state.channelByName(name)) throw new Error(`channel #${name} already exists in the emulator`);
    if (opts.id && this.state.channels.has(opts.id)) throw new Error(`channel ${opts.id} already exists in the emulator`);
    return this.state.createChannel(name, opts);
  }

  /** Stores a message written by a user (no API call, no event; see SlackDriver.userMessage for both). */
  postAsUser(channelId: string, userId: string, text: string, opts: { threadTs?: string; blocks?: unknown[] } = {}): EmuMessage {
    if (!this.state.channels.has(channelId)) throw new Error(`no channel ${channelId} in the emulator`);
    return this.state.addMessage({
      type: 'message',
      channel: channelId,
      ts: this.state.nextTs(),
      text,
      user: userId,
      ...(opts.blocks ? { blocks: opts.blocks } : {}),
      ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
      reactions: [],
    });
  }

  /** A trigger_id for an interaction of `userId`, valid for 3 s (or already `ageMs` old). */
  issueTriggerId(userId = 'U0001', opts: { ageMs?: number } = {}): string {
    return this.state.issueTrigger(userId, opts.ageMs ?? 0).id;
  }

  /** A fresh fake response_url served by this emulator. */
  newResponseUrl(): string {
    const id = randomBytes(12).toString('hex');
    this.state.responseUrls.set(id, { uses: 0, issuedAt: this.now() });
    return `${this.baseUrl}response/${id}`;
  }

  // ---------------------------------------------------------------- failure injection

  /** Arms a fault for a method (or `*`); applies once unless `times` is given. */
  inject(method: string, fault: Fault, opts: InjectOptions = {}): InjectedFault {
    return this.faults.add(method, fault, opts);
  }

  /** Disarms all injected faults. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Adds `ms` of latency to every Web API call. */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Makes every Web API call answer HTTP 503 while true. */
  setOutage(down: boolean): void {
    this.outage = down;
  }

  /** Rate limits a method (429 + Retry-After); null removes the limit. */
  setRateLimit(method: string, limit: RateLimit | null): void {
    this.limiter.set(method, limit);
  }

  // ---------------------------------------------------------------- observation

  /** Calls made to one method, oldest first. */
  callsTo(method: string): CallRecord[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls answered with the generic `{ok:true}` because the method is not emulated. */
  get unemulatedCalls(): CallRecord[] {
    return this.calls.filter((c) => c.generic);
  }

  /** Workspace members by id. */
  get users(): ReadonlyMap<string, EmuUser> {
    return this.state.users;
  }

  /** A named conversation by name (archived ones included). */
  channelByName(name: string): EmuChannel | undefined {
    return this.state.channelByName(name.replace(/^#/, ''));
  }

  /** A conversation by id. */
  channel(id: string): EmuChannel | undefined {
    return this.state.channels.get(id);
  }

  /** All conversations. */
  get channels(): EmuChannel[] {
    return [...this.state.channels.values()];
  }

  /** Messages of a conversation, oldest first (thread replies included). */
  messages(channelId: string): EmuMessage[] {
    return [...(this.state.messages.get(channelId) ?? [])];
  }

  /** Pinned messages of a conversation, in pin order. */
  pins(channelId: string): EmuMessage[] {
    return (this.state.pins.get(channelId) ?? []).flatMap((p) => {
      const m = this.state.findMessage(channelId, p.ts);
      return m ? [m] : [];
    });
  }

  /** Messages in the bot's IM with a user, oldest first. */
  dmsTo(userId: string): EmuMessage[] {
    const im = [...this.state.channels.values()].find((c) => c.is_im && c.user === userId);
    return im ? this.messages(im.id) : [];
  }

  /** Ephemeral messages, oldest first. */
  get ephemerals(): EmuEphemeral[] {
    return this.state.ephemerals;
  }

  /** Ephemeral messages shown to one user (optionally in one conversation), oldest first. */
  ephemeralsTo(userId: string, channelId?: string): EmuEphemeral[] {
    return this.state.ephemerals.filter((e) => e.user === userId && (!channelId || e.channel === channelId));
  }

  /** Posts the bot made to fake response_urls, oldest first. */
  get responses(): EmuResponse[] {
    return this.state.responses;
  }

  /** Published Home tabs by user id. */
  get homeViews(): ReadonlyMap<string, EmuView> {
    return this.state.homeViews;
  }

  /** Every view (modals and Home tabs) by view id. */
  get views(): ReadonlyMap<string, EmuView> {
    return this.state.views;
  }

  /** The most recently opened or pushed modal, optionally of one user and/or callback_id. */
  latestModal(filter: { userId?: string; callbackId?: string } = {}): EmuView | undefined {
    const modals = [...this.state.views.values()].filter(
      (v) => v.type === 'modal' && (!filter.userId || v.user_id === filter.userId) && (!filter.callbackId || v.callback_id === filter.callbackId),
    );
    return modals[modals.length - 1];
  }

  /** Uploaded files, with `content` as UTF-8 text. */
  get files(): EmuFile[] {
    return [...this.state.files.values()];
  }

  /**
   * Resolves with `cond()`'s value once truthy; rejects with `message` after `timeoutMs`. The default patience is 15 s:
   * it only matters when something is wrong, and a machine running the whole suite on 2 cores can take more than 5 s
   * to deliver what takes 50 ms alone.
   */
  async waitFor<T>(cond: () => T | Promise<T>, opts: WaitForOptions = {}): Promise<NonNullable<T>> {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    const intervalMs = opts.intervalMs ?? 10;
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const v = await cond();
        if (v) return v as NonNullable<T>;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() >= deadline) {
        const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
        throw new Error(`${opts.message ?? 'waitFor: condition not met'} after ${timeoutMs} ms${why}`);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  // ---------------------------------------------------------------- interaction acks (used by SlackDriver)

  /** Applies the bot's ack to a view_submission (close, update, push, errors, clear), validating any view in it. */
  applyViewSubmissionAck(viewId: string, ack: unknown): void {
    const view = this.state.views.get(viewId);
    if (!view) return;
    const body = (typeof ack === 'object' && ack !== null ? ack : {}) as Record<string, unknown>;
    const action = body.response_action;
    const stack = [...this.state.views.values()].filter((v) => v.root_view_id === view.root_view_id && !v.closed);
    if (action === 'errors') return;
    if (action === 'clear') {
      for (const v of stack) v.closed = true;
      return;
    }
    if (action === 'update' || action === 'push') {
      const ctx = this.context(`ack:view_submission:${action}`, { view: body.view }, BOT_USER_ID);
      try {
        const payload = validateViewPayload(ctx, body.view, 'modal');
        if (action === 'update') {
          this.state.views.set(view.id, buildView(ctx, payload, { ...view }));
        } else {
          const pushed = buildView(ctx, payload, { user_id: view.user_id, root_view_id: view.root_view_id, previous_view_id: view.id });
          this.state.views.set(pushed.id, pushed);
        }
      } catch (err) {
        if (!(err instanceof SlackApiError)) throw err;
      }
      return;
    }
    view.closed = true;
  }

  /** Checks blocks in an interaction ack or response_url message; records violations, returns the problems. */
  checkMessagePayload(source: string, body: unknown): BlockProblem[] {
    if (typeof body !== 'object' || body === null) return [];
    const blocks = (body as Record<string, unknown>).blocks;
    if (blocks === undefined) return [];
    const problems = checkBlocks(blocks, 'message');
    if (problems.length > 0) this.violate('block_kit', source, problems.map((p) => `${p.pointer}: ${p.message}`).join('; '), problems);
    return problems;
  }

  // ---------------------------------------------------------------- HTTP

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if ((req.method === 'POST' || req.method === 'GET') && path.startsWith('/api/')) {
      return this.handleApi(req, res, decodeURIComponent(path.slice(5)), url.searchParams);
    }
    const upload = /^\/upload\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && upload?.[1]) return this.handleUpload(req, res, upload[1]);
    const response = /^\/response\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && response?.[1]) return this.handleResponseUrl(req, res, response[1]);
    await readBody(req).catch(() => Buffer.alloc(0));
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, method: string, query: URLSearchParams): Promise<void> {
    const started = this.now();
    const raw = await readBody(req);
    let args: Args = {};
    let badBody = false;
    try {
      args = parseArgs(String(req.headers['content-type'] ?? ''), raw, query).args;
    } catch {
      badBody = true;
    }
    const badJson = this.parseJsonArgs(method, args);
    const auth = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]?.trim();
    const token = auth ?? (typeof args.token === 'string' && args.token !== '' ? args.token : undefined);
    const record: CallRecord = { seq: ++this.seq, method, args, token, at: started, status: 0 };
    this.calls.push(record);

    if (this.outage) return this.sendText(res, record, 503, 'Service Unavailable', 'outage');
    if (this.latencyMs > 0) await this.sleep(this.latencyMs);

    const fault = this.faults.take(method, args);
    if (fault) {
      record.fault = describeFault(fault);
      if ('hang' in fault) {
        this.hung.add(res);
        res.on('close', () => this.hung.delete(res));
        return;
      }
      if ('reset' in fault) {
        record.error = 'socket_reset';
        req.socket.destroy();
        return;
      }
      if ('delayMs' in fault) await this.sleep(fault.delayMs);
      else if ('until' in fault) await fault.until.catch(() => undefined);
      else if ('lateMs' in fault) {
        await this.sleep(fault.lateMs);
        // Applied even when the client gave up meanwhile: that is what makes a timeout ambiguous.
        const late = this.answer(method, args, token, badBody, badJson);
        if (!res.destroyed) this.sendJson(res, record, late.status, late.body, late.headers);
        else record.status = late.status;
        return;
      } else if ('status' in fault) {
        if (fault.status === 429) {
          return this.sendJson(res, record, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter ?? 1) });
        }
        return this.sendText(res, record, fault.status, fault.body ?? `HTTP ${fault.status}`);
      } else if ('error' in fault) {
        this.assertContract(method, fault.error, 'injected fault');
        return this.sendJson(res, record, 200, { ok: false, error: fault.error, ...(fault.extra ?? {}) });
      }
    }
    if (!this.server || res.destroyed) return;
    const answer = this.answer(method, args, token, badBody, badJson);
    if (answer.generic) record.generic = true;
    this.sendJson(res, record, answer.status, answer.body, answer.headers);
  }

  /** Validates and executes one Web API call, returning the body to answer. */
  private answer(method: string, args: Args, token: string | undefined, badBody: boolean, badJson: string | undefined): Answer {
    const contract = this.contracts.get(method);
    if (!contract) return { status: 200, body: { ok: false, error: 'unknown_method' } };
    const retryAfter = this.limiter.check(method, args, this.now());
    if (retryAfter !== undefined) {
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(retryAfter) } };
    }
    const fail = (code: string, extra: Record<string, unknown> = {}): Answer => {
      this.assertContract(method, code, 'emulator');
      return { status: 200, body: { ok: false, error: code, ...extra } };
    };
    if (method === 'apps.connections.open') {
      // The one method called with the app-level token (xapp-), not a bot or user token.
      const link = this.socketMode.openConnection(token);
      return 'error' in link ? fail(link.error) : { status: 200, body: { ok: true, url: link.url } };
    }
    if (!token) return fail('not_authed');
    if (!/^xox[bp]-/.test(token)) return fail('invalid_auth');
    const refusal = this.refused.get(token);
    if (refusal) return fail(refusal);
    if (badBody) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] request body could not be parsed'] } });
    if (badJson) return fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] \`${badJson}\` is not valid JSON`] } });
    const missing = contract.required.filter((name) => name !== 'token' && !argPresent(args, name));
    if (missing.length > 0) {
      return fail('missing_argument', { response_metadata: { messages: missing.map((m) => `[ERROR] missing required field: ${m}`) } });
    }
    for (const name of Object.keys(args)) {
      if (!contract.argNames.has(name) && name !== 'team_id') this.warnings.push(`${method}: unknown argument \`${name}\``);
    }
    const handler = METHOD_HANDLERS[method];
    if (!handler) return { status: 200, body: { ok: true }, generic: true };
    const actor = token.startsWith('xoxb-') ? BOT_USER_ID : this.userTokenOwner;
    try {
      return { status: 200, body: { ok: true, ...handler(this.context(method, args, actor)) } };
    } catch (err) {
      if (err instanceof SlackApiError) return fail(err.code, err.extra);
      return fail('internal_error', { detail: err instanceof Error ? err.message : String(err) });
    }
  }

  private context(method: string, args: Args, actor: string): MethodContext {
    return {
      method,
      args,
      actor,
      state: this.state,
      baseUrl: this.baseUrl,
      triggerTtlMs: this.triggerTtlMs,
      allows: (code) => this.contracts.allows(method, code),
      violate: (kind, detail, problems) => this.violate(kind, method, detail, problems),
    };
  }

  /** Parses JSON-string arguments in place; returns the name of the first one that is not valid JSON. */
  private parseJsonArgs(method: string, args: Args): string | undefined {
    let bad: string | undefined;
    const names = method === 'files.completeUploadExternal' ? [...JSON_ARGS, 'files'] : [...JSON_ARGS];
    for (const name of names) {
      const v = args[name];
      if (typeof v !== 'string' || v === '') continue;
      try {
        args[name] = JSON.parse(v);
      } catch {
        bad ??= name;
      }
    }
    return bad;
  }

  private assertContract(method: string, code: string, source: string): void {
    if (this.contracts.allows(method, code)) return;
    this.violate('contract', method, `${source} answered \`${code}\`, which ${method}.json does not list`);
  }

  private violate(kind: ViolationKind, method: string, detail: string, problems?: BlockProblem[]): void {
    this.violations.push({ kind, method, detail, ...(problems ? { problems } : {}), at: this.now() });
  }

  private async handleUpload(req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> {
    const raw = await readBody(req);
    const file = this.state.files.get(fileId);
    if (!file || file.completed) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('file_not_found');
      return;
    }
    const boundary = multipartBoundary(String(req.headers['content-type'] ?? ''));
    let bytes = raw;
    if (boundary) {
      const parts = parseMultipart(raw, boundary);
      const part = parts.find((p) => p.filename !== undefined) ?? parts.find((p) => p.name === 'file' || p.name === 'body') ?? parts[0];
      bytes = part?.data ?? Buffer.alloc(0);
    }
    if (bytes.length !== file.length) this.warnings.push(`upload ${fileId}: got ${bytes.length} bytes, declared length ${file.length}`);
    file.bytes = Buffer.from(bytes);
    file.content = file.bytes.toString('utf8');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
  }

  private async handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = await readBody(req);
    const reply = (status: number, text: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text);
    };
    const entry = this.state.responseUrls.get(id);
    if (!entry) {
      this.violate('response_url', 'response_url', `POST to unknown response_url ${id}`);
      return reply(404, 'no_active_hooks');
    }
    if (this.now() - entry.issuedAt > RESPONSE_URL_TTL_MS) {
      this.violate('response_url', 'response_url', `response_url ${id} used after 30 minutes`);
      return reply(404, 'expired_url');
    }
    if (entry.uses >= MAX_RESPONSE_URL_USES) {
      this.violate('response_url', 'response_url', `response_url ${id} used more than ${MAX_RESPONSE_URL_USES} times`);
      return reply(404, 'used_url');
    }
    let body: Record<string, unknown>;
    try {
      const ct = String(req.headers['content-type'] ?? '');
      body = ct.startsWith('application/json')
        ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>)
        : (parseArgs(ct, raw, new URLSearchParams()).args as Record<string, unknown>);
      if (typeof body.payload === 'string') body = JSON.parse(body.payload) as Record<string, unknown>;
    } catch {
      this.violate('response_url', 'response_url', 'response_url body is not valid JSON');
      return reply(400, 'invalid_payload');
    }
    if (typeof body.blocks === 'string') {
      try {
        body.blocks = JSON.parse(body.blocks) as unknown;
      } catch {
        /* left as a string; checkBlocks reports it */
      }
    }
    const problems = this.checkMessagePayload('response_url', body);
    if (problems.length > 0) return reply(400, `invalid_blocks\n${formatProblems(problems).join('\n')}`);
    entry.uses++;
    this.state.responses.push({ id, body, at: this.now() });
    reply(200, 'ok');
  }

  private sendJson(res: ServerResponse, record: CallRecord, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
    record.status = status;
    record.response = body;
    if (body.ok === false && typeof body.error === 'string') record.error = body.error;
    record.durationMs = this.now() - record.at;
    if (res.destroyed || res.writableEnded) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
    res.end(payload);
  }

  private sendText(res: ServerResponse, record: CallRecord, status: number, text: string, fault?: string): void {
    record.status = status;
    record.error = `http_${status}`;
    if (fault) record.fault = fault;
    record.durationMs = this.now() - record.at;
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(text);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

/** Re-exported so tests need a single import. */
export type { Fault, InjectOptions, InjectedFault, RateLimit, Violation };
