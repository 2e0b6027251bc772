/** Slack's Socket Mode on the emulator: apps.connections.open tickets, the WebSocket link, envelopes, acks, retries, refreshes. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { APP_ID } from './state.js';

/** Envelope types Slack delivers over the socket. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** Reasons Slack gives in a `disconnect` message. */
export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

/** One envelope as Slack sends it. */
export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

/** The app's acknowledgement of an envelope. */
export interface SocketAck {
  envelopeId: string;
  /** The ack's `payload` (`{}` when the app sent none). */
  payload: Record<string, unknown>;
  /** Which delivery attempt was acknowledged (0 = the first). */
  attempt: number;
}

/** Options of one delivery. */
export interface DeliverOptions {
  /** Treat the first `n` acks as lost in transit, so Slack re-delivers (default 0). */
  loseAcks?: number;
  /** Give up (reject) after this many re-deliveries without an ack (default 3, as the Events API). */
  maxRetries?: number;
  /**
   * How long to wait for this envelope's ack before re-delivering it (default the endpoint's `ackTimeoutMs`, Slack's
   * 3 s). A test of re-delivery shortens it so it waits for the retry, not for Slack's window.
   */
  ackTimeoutMs?: number;
  /** Reject when nothing acknowledged the envelope after this long (default: the retries' span plus one ack window). */
  timeoutMs?: number;
  /** Overrides `accepts_response_payload` (default: true for slash commands, view submissions and suggestions). */
  acceptsResponsePayload?: boolean;
  /** Sends the first delivery already as this retry (a re-delivery of an earlier envelope), with `retryReason`. */
  retryAttempt?: number;
  retryReason?: string;
  /** Reuses an envelope_id (Slack keeps the id across re-deliveries). */
  envelopeId?: string;
}

/** Every delivery, for assertions. */
export interface DeliveryRecord {
  envelope: Envelope;
  /** Each attempt sent: its number and reason. */
  attempts: { attempt: number; reason: string; at: number }[];
  acks: SocketAck[];
  lostAcks: number;
  settled: boolean;
}

/** Settings of the Socket Mode side. */
export interface SocketModeOptions {
  /** The only app-level token accepted; default any `xapp-` token. */
  appToken?: string;
  /** How long Slack waits for an ack before re-delivering (default Slack's 3 s; per envelope: `DeliverOptions.ackTimeoutMs`). */
  ackTimeoutMs?: number;
  /** Server pings every so often (Slack pings its clients); 0 = none. Default 5 s. */
  pingIntervalMs?: number;
  /** After a `warning`, how long until Slack drops a connection the app has not closed (default Slack's about 10 s). */
  warningGraceMs?: number;
}

interface Pending {
  record: DeliveryRecord;
  opts: Required<Pick<DeliverOptions, 'loseAcks' | 'maxRetries' | 'ackTimeoutMs'>>;
  resolve: (ack: SocketAck) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
  deadline?: NodeJS.Timeout;
}

/** The Socket Mode half of the emulator; `SlackEmulator.socketMode`. */
export class SocketModeEndpoint {
  /** Every envelope delivered, oldest first. */
  readonly deliveries: DeliveryRecord[] = [];
  /** Protocol breaches by the app (acks for unknown envelopes, bad frames); empty when the app behaves. */
  readonly problems: string[] = [];
  /** How many WebSocket links were opened in total. */
  connectionsOpened = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly open = new Set<WebSocket>();
  private readonly pending = new Map<string, Pending>();
  private readonly waitingForLink: Envelope[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private ping: NodeJS.Timeout | undefined;
  private readonly options: Required<Omit<SocketModeOptions, 'appToken'>> & { appToken?: string };

  /** Creates the endpoint; `baseUrl` is read when a link is issued. */
  constructor(private readonly baseUrl: () => string, opts: SocketModeOptions = {}) {
    this.options = { ackTimeoutMs: 3000, pingIntervalMs: 5000, warningGraceMs: 10_000, ...opts };
  }

  /** Restricts (or, with undefined, opens again) which app-level token apps.connections.open accepts. */
  setAppToken(token: string | undefined): void {
    this.options.appToken = token;
  }

  /** Open WebSocket links. */
  get connections(): number {
    return [...this.open].filter((ws) => ws.readyState === WebSocket.OPEN).length;
  }

  /** Answers `apps.connections.open`: an error code, or a single-use `ws://` link on this emulator. */
  openConnection(token: string | undefined): { error: string } | { url: string } {
    if (!token) return { error: 'missing_args' };
    if (!/^xapp-/.test(token) || (this.options.appToken !== undefined && token !== this.options.appToken)) return { error: 'invalid_auth' };
    const ticket = randomBytes(16).toString('hex');
    this.tickets.add(ticket);
    const ws = this.baseUrl().replace(/^http/, 'ws');
    return { url: `${ws}link/?ticket=${ticket}&app_id=${APP_ID}` };
  }

  /** Takes over an HTTP upgrade to `/link/?ticket=…`; anything else is refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** Delivers an envelope to one open link (at random, like Slack) and resolves with the app's ack. */
  deliver(type: EnvelopeType, payload: Record<string, unknown>, opts: DeliverOptions = {}): Promise<SocketAck> {
    const envelope: Envelope = {
      envelope_id: opts.envelopeId ?? randomUUID(),
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? acceptsResponse(type, payload),
      retry_attempt: 0,
      retry_reason: '',
    };
    const record: DeliveryRecord = { envelope, attempts: [], acks: [], lostAcks: 0, settled: false };
    this.deliveries.push(record);
    const maxRetries = opts.maxRetries ?? 3;
    const ackTimeoutMs = opts.ackTimeoutMs ?? this.options.ackTimeoutMs;
    return new Promise<SocketAck>((resolve, reject) => {
      const p: Pending = { record, opts: { loseAcks: opts.loseAcks ?? 0, maxRetries, ackTimeoutMs }, resolve, reject };
      const earlier = this.pending.get(envelope.envelope_id);
      if (earlier) this.settle(earlier, new Error(`envelope ${envelope.envelope_id} delivered again before it was acknowledged`));
      this.pending.set(envelope.envelope_id, p);
      const timeoutMs = opts.timeoutMs ?? (maxRetries + 2) * ackTimeoutMs + 10_000;
      p.deadline = setTimeout(() => this.settle(p, new Error(`envelope ${envelope.envelope_id} (${type}) was never acknowledged`)), timeoutMs);
      this.send(p, opts.retryAttempt ?? 0, opts.retryAttempt ? (opts.retryReason ?? 'timeout') : '');
    });
  }

  /** Sends `disconnect` with a reason to every open link; after a `warning`, drops them when the grace period ends. */
  disconnect(reason: DisconnectReason = 'refresh_requested'): void {
    for (const ws of this.open) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-emulator' } }));
      // Slack closes the link itself if the app does not: at once for a refresh, after the grace period for a warning.
      this.later(() => ws.terminate(), reason === 'warning' ? this.options.warningGraceMs : 1000);
    }
  }

  /** Drops every link without a word (a network failure). */
  dropLinks(): void {
    for (const ws of this.open) ws.terminate();
  }

  /** Resolves once `n` links are open. */
  async waitForConnections(n = 1, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connections < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} open Socket Mode link(s), have ${this.connections}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Forgets deliveries and problems (links stay open). */
  reset(): void {
    for (const p of this.pending.values()) this.settle(p, new Error('emulator reset'));
    this.deliveries.length = 0;
    this.problems.length = 0;
    this.waitingForLink.length = 0;
    this.connectionsOpened = 0;
  }

  /** Closes every link and stops every timer. */
  close(): void {
    for (const p of this.pending.values()) this.settle(p, new Error('emulator stopped'));
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.ping) clearInterval(this.ping);
    this.ping = undefined;
    for (const ws of this.open) ws.terminate();
    this.open.clear();
    this.waitingForLink.length = 0;
  }

  private accept(ws: WebSocket): void {
    this.open.add(ws);
    this.connectionsOpened++;
    ws.on('close', () => this.open.delete(ws));
    ws.on('error', () => this.open.delete(ws));
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.send(JSON.stringify({
      type: 'hello',
      num_connections: this.connections,
      debug_info: { host: 'applink-emulator', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: APP_ID },
    }));
    if (this.options.pingIntervalMs > 0 && !this.ping) {
      this.ping = setInterval(() => { for (const s of this.open) if (s.readyState === WebSocket.OPEN) s.ping(); }, this.options.pingIntervalMs);
      this.ping.unref();
    }
    // Envelopes that found no link are sent on the first one that comes up.
    for (const envelope of this.waitingForLink.splice(0)) ws.send(JSON.stringify(envelope));
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (isBinary) { this.problems.push('binary frame from the app'); return; }
    let msg: { envelope_id?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(String(data)) as typeof msg;
    } catch {
      this.problems.push(`frame that is not JSON: ${String(data).slice(0, 200)}`);
      return;
    }
    if (typeof msg.envelope_id !== 'string') { this.problems.push(`frame without envelope_id: ${String(data).slice(0, 200)}`); return; }
    const p = this.pending.get(msg.envelope_id);
    const known = p?.record ?? [...this.deliveries].reverse().find((d) => d.envelope.envelope_id === msg.envelope_id);
    if (!known) { this.problems.push(`ack for unknown envelope ${msg.envelope_id}`); return; }
    const payload = msg.payload === undefined ? {} : msg.payload;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) { this.problems.push(`ack payload of ${msg.envelope_id} is not an object`); return; }
    if (Object.keys(payload).length > 0 && !known.envelope.accepts_response_payload) {
      this.problems.push(`ack of ${msg.envelope_id} (${known.envelope.type}) carries a payload, but the envelope does not accept one`);
    }
    const attempt = known.attempts[known.attempts.length - 1]?.attempt ?? 0;
    const ack: SocketAck = { envelopeId: msg.envelope_id, payload: payload as Record<string, unknown>, attempt };
    if (!p) { known.acks.push(ack); return; } // a late ack of an envelope already settled: recorded, harmless
    if (known.lostAcks < p.opts.loseAcks) { known.lostAcks++; return; } // lost in transit: the retry timer re-delivers
    known.acks.push(ack);
    this.settle(p, ack);
  }

  private send(p: Pending, attempt: number, reason: string): void {
    const envelope: Envelope = { ...p.record.envelope, retry_attempt: attempt, retry_reason: reason };
    p.record.attempts.push({ attempt, reason, at: Date.now() });
    const links = [...this.open].filter((ws) => ws.readyState === WebSocket.OPEN);
    const link = links[Math.floor(Math.random() * links.length)];
    if (link) link.send(JSON.stringify(envelope));
    else {
      const i = this.waitingForLink.findIndex((e) => e.envelope_id === envelope.envelope_id);
      if (i >= 0) this.waitingForLink.splice(i, 1);
      this.waitingForLink.push(envelope);
    }
    p.timer = this.later(() => {
      if (!this.pending.has(envelope.envelope_id)) return;
      const sent = p.record.attempts.length;
      if (sent - 1 >= p.opts.maxRetries) { this.settle(p, new Error(`envelope ${envelope.envelope_id} (${envelope.type}) not acknowledged after ${sent} deliveries`)); return; }
      this.send(p, attempt + 1, 'timeout');
    }, p.opts.ackTimeoutMs);
  }

  private settle(p: Pending, outcome: SocketAck | Error): void {
    const id = p.record.envelope.envelope_id;
    if (!this.pending.delete(id)) return;
    p.record.settled = true;
    if (p.timer) { clearTimeout(p.timer); this.timers.delete(p.timer); }
    if (p.deadline) clearTimeout(p.deadline);
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
  }

  private later(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
    return t;
  }
}

/** Slack lets the app answer in the ack for slash commands, view submissions and options requests. */
function acceptsResponse(type: EnvelopeType, payload: Record<string, unknown>): boolean {
  if (type === 'slash_commands') return true;
  if (type === 'interactive') return payload.type === 'view_submission' || payload.type === 'block_suggestion';
  return false;
}
