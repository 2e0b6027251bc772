/** A small JSON REST emulator base for the outbound integrations (Statuspage, GitHub): routing, call log, injected faults. */
import http from 'node:http';
import type net from 'node:net';

/** A failure to inject: an HTTP status (optionally after the request took effect, i.e. ambiguous), or a hang. */
export type RestFault =
  | { status: number; retryAfter?: number; body?: unknown; headers?: Record<string, string>; applied?: boolean }
  | { hang: true; applied?: boolean };

/** One request as the emulator saw it. */
export interface RestCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  status: number;
  fault?: string;
}

/** What a route handler answers. */
export interface RestAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A route: method, a path pattern with `:name` parts, and a handler. */
export interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handle(req: { params: Record<string, string>; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: unknown }): RestAnswer;
}

/** Builds a route from `/v1/pages/:page/incidents`. */
export function route(method: string, path: string, handle: Route['handle']): Route {
  const names: string[] = [];
  const pattern = new RegExp(`^${path.replace(/:([a-z_]+)/gi, (_m, n: string) => { names.push(n); return '([^/]+)'; })}$`);
  return { method, pattern, names, handle };
}

interface Armed { match: (method: string, path: string) => boolean; fault: RestFault; remaining: number; hits: number }

/** The shared server: subclasses give routes and the auth check. */
export abstract class RestEmulator {
  readonly calls: RestCall[] = [];
  private faults: Armed[] = [];
  private server: http.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private port = 0;

  protected abstract routes(): Route[];
  /** Answers a refused request (bad auth, missing headers), or null to go on. */
  protected abstract authorize(req: http.IncomingMessage): RestAnswer | null;

  /** Base URL, ending in `/`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Arms a fault for requests whose `METHOD path` matches (a RegExp, or a string prefix); once unless `times`. */
  inject(match: RegExp | string, fault: RestFault, times = 1): { hits: () => number } {
    const test = typeof match === 'string' ? (m: string, p: string) => `${m} ${p}`.startsWith(match) : (m: string, p: string) => match.test(`${m} ${p}`);
    const armed: Armed = { match: test, fault, remaining: times, hits: 0 };
    this.faults.push(armed);
    return { hits: () => armed.hits };
  }

  /** Disarms every fault. */
  clearFaults(): void {
    this.faults = [];
  }

  /** Calls made with a method and a path matching `path`. */
  callsTo(method: string, path: RegExp): RestCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const call: RestCall = { method, path: u.pathname, query: u.searchParams, headers: req.headers, body: undefined, status: 0 };
    this.calls.push(call);
    const send = (a: RestAnswer) => {
      call.status = a.status;
      res.writeHead(a.status, { 'content-type': 'application/json; charset=utf-8', ...a.headers });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    };
    const raw = Buffer.concat(chunks).toString('utf8');
    if (raw.trim() !== '') {
      try {
        call.body = JSON.parse(raw);
      } catch {
        return send({ status: 400, body: { message: 'Problems parsing JSON' } });
      }
    }
    const armed = this.faults.find((f) => f.remaining > 0 && f.match(method, u.pathname));
    if (armed) { armed.remaining--; armed.hits++; }
    const fault = armed?.fault;
    if (fault && !fault.applied) {
      if ('hang' in fault) { call.fault = 'hang'; return; }
      call.fault = `status ${fault.status}`;
      return send({ status: fault.status, body: fault.body ?? { error: 'injected fault' }, headers: { ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}), ...fault.headers } });
    }
    const refused = this.authorize(req);
    if (refused) return send(refused);
    let answer: RestAnswer = { status: 404, body: { message: 'Not Found' } };
    for (const r of this.routes()) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(u.pathname);
      if (!m) continue;
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      answer = r.handle({ params, query: u.searchParams, headers: req.headers, body: call.body });
      break;
    }
    if (fault) {
      // Ambiguous failure: the change happened, but the caller sees an error (or nothing at all).
      if ('hang' in fault) { call.fault = 'hang (applied)'; return; }
      call.fault = `status ${fault.status} (applied)`;
      return send({ status: fault.status, body: fault.body ?? { error: 'injected fault' } });
    }
    send(answer);
  }
}
