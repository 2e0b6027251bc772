/** PagerDuty Events API v2 emulator: validates events like the real /v2/enqueue (202 with dedup_key, 400 with errors), dedups alerts by dedup_key, and injects 429s, 500s and lost answers. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An accepted event. */
export interface PdEvent {
  at: number;
  body: Record<string, any>;
}

/** An alert on the emulated service, keyed by dedup_key. */
export interface PdAlert {
  dedupKey: string;
  status: 'triggered' | 'resolved';
  /** Notifications sent: a trigger on an alert already triggered adds none (PagerDuty dedups it). */
  notifications: number;
  triggers: number;
  summary: string;
  severity: string;
  links: { href: string; text?: string }[];
}

type Fault = { kind: 'status'; status: number; retryAfter?: string } | { kind: 'lose_answer' } | { kind: 'hang' };

const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);
const ACTIONS = new Set(['trigger', 'acknowledge', 'resolve']);

/** The emulator; `url` is what PAGERDUTY_EVENTS_URL points at. */
export class PagerDutyEmulator {
  readonly events: PdEvent[] = [];
  readonly alerts = new Map<string, PdAlert>();
  /** Every request, valid or not, with the status answered. */
  readonly requests: { body: unknown; status: number }[] = [];
  private faults: Fault[] = [];
  private downUntil = 0;
  private server: http.Server | null = null;
  url = '';

  /** Routing keys the emulated account knows; empty accepts any well-formed key. */
  constructor(private readonly routingKeys: string[] = []) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v2/enqueue`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  /** The next requests fail with these answers, in order. */
  inject(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Answers 503 to everything for `ms` (PagerDuty down). */
  down(ms: number): void {
    this.downUntil = Date.now() + ms;
  }

  /** Back up now. */
  up(): void {
    this.downUntil = 0;
  }

  /** Notifications sent for a dedup key (what people's phones saw). */
  notifications(dedupKey: string): number {
    return this.alerts.get(dedupKey)?.notifications ?? 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        this.requests.push({ body: safeJson(raw), status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v2/enqueue') return answer(404, { status: 'not found' });
      if (Date.now() < this.downUntil) return answer(503, { status: 'unavailable' });
      const fault = this.faults.shift();
      if (fault?.kind === 'status') {
        return answer(fault.status, fault.status === 429 ? { status: 'throttle event', message: 'Requests for this service are arriving too quickly. Please retry later.' } : { status: 'error' }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
      }
      if (fault?.kind === 'hang') return; // never answers: the client's timeout fires
      const body = safeJson(raw);
      const errors = validate(body, this.routingKeys);
      if (errors.length) return answer(400, { status: 'invalid event', message: 'Event object is invalid', errors });
      const event = body as Record<string, any>;
      const dedupKey = String(event.dedup_key ?? `pd-${this.events.length + 1}`);
      this.apply(event, dedupKey);
      if (fault?.kind === 'lose_answer') {
        // Processed, but the answer never arrives: the sender cannot tell whether it worked.
        this.requests.push({ body, status: 0 });
        req.socket.destroy();
        return;
      }
      answer(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
    });
  }

  private apply(event: Record<string, any>, dedupKey: string): void {
    this.events.push({ at: Date.now(), body: event });
    const existing = this.alerts.get(dedupKey);
    if (event.event_action === 'trigger') {
      if (existing && existing.status === 'triggered') { existing.triggers++; return; }
      this.alerts.set(dedupKey, {
        dedupKey, status: 'triggered', notifications: (existing?.notifications ?? 0) + 1, triggers: (existing?.triggers ?? 0) + 1,
        summary: event.payload.summary, severity: event.payload.severity, links: event.links ?? [],
      });
    } else if (event.event_action === 'resolve' && existing) {
      existing.status = 'resolved';
    }
  }
}

function safeJson(raw: string): unknown {
  try { return JSON.parse(raw); } catch { return undefined; }
}

/** The checks /v2/enqueue makes, with its wording. */
function validate(body: unknown, keys: string[]): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return ['Event object is invalid: body must be a JSON object'];
  const e = body as Record<string, any>;
  const errors: string[] = [];
  if (typeof e.routing_key !== 'string' || e.routing_key.length !== 32) errors.push("'routing_key' is invalid: must be a 32 character integration key");
  else if (keys.length && !keys.includes(e.routing_key)) errors.push("'routing_key' is invalid: no integration with that key");
  if (!ACTIONS.has(e.event_action)) errors.push("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
  if (e.dedup_key !== undefined && (typeof e.dedup_key !== 'string' || e.dedup_key.length > 255)) errors.push("'dedup_key' is invalid: must be a string of at most 255 characters");
  if ((e.event_action === 'acknowledge' || e.event_action === 'resolve') && typeof e.dedup_key !== 'string') errors.push("'dedup_key' is required for acknowledge and resolve");
  if (e.event_action === 'trigger') {
    const p = e.payload;
    if (!p || typeof p !== 'object') errors.push("'payload' is missing");
    else {
      if (typeof p.summary !== 'string' || !p.summary || p.summary.length > 1024) errors.push("'payload.summary' is invalid: required, at most 1024 characters");
      if (typeof p.source !== 'string' || !p.source) errors.push("'payload.source' is missing");
      if (!SEVERITIES.has(p.severity)) errors.push("'payload.severity' is invalid (must be one of: critical, error, warning, info)");
    }
    if (e.links !== undefined && (!Array.isArray(e.links) || e.links.some((l: any) => typeof l?.href !== 'string'))) errors.push("'links' is invalid: each link needs an href");
  }
  return errors;
}
