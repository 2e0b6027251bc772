/** A loopback proxy between the bot and the Slack emulator: Slack acts on every call, then a subclass decides what the bot gets back. */
import http from 'node:http';
import type { Socket } from 'node:net';

/** What becomes of Slack's answer: passed on, the connection reset, never answered, or passed on after a delay. */
export type AnswerFate = { kind: 'forward' } | { kind: 'drop' } | { kind: 'withhold' } | { kind: 'hold'; ms: number };

/** Forwards Web API calls to the emulator and hands each answer's fate to `fate(method)`. */
export abstract class SlackProxy {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: string) {}

  /** Listens on a free loopback port; returns the base URL to give the bot as SLACK_API_URL. */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.forward(req, res).catch(() => res.destroy()));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/api/`;
  }

  /** Cuts every open connection (withheld answers included) and stops listening. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Decides, after Slack has acted on a call to `method`, what the bot gets. */
  protected abstract fate(method: string): AnswerFate | Promise<AnswerFate>;

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'authorization']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
    const upstream = await fetch(new URL(req.url ?? '/', this.target), { method: req.method, headers, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) });
    const body = Buffer.from(await upstream.arrayBuffer());
    const method = decodeURIComponent((req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '');
    const fate = await this.fate(method);
    if (fate.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fate.kind === 'withhold') return; // Slack has acted; the answer never comes (the socket is destroyed on stop or when the bot dies)
    if (fate.kind === 'hold') await new Promise((r) => setTimeout(r, fate.ms));
    if (res.destroyed) return;
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => { if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v; });
    res.writeHead(upstream.status, out).end(body);
  }
}
