/** A proxy between the bot and the Slack emulator that can kill the bot right after Slack applied a call, before the bot reads the answer. */
import http from 'node:http';
import type { Socket } from 'node:net';

/** Called once Slack (the emulator) has answered call number `index` (0-based, counted since `arm`), before the bot gets the answer. */
export type AnsweredHook = (index: number, method: string) => Promise<'forward' | 'drop'>;

/** Forwards Web API calls to the emulator; the hook may kill the bot and drop the answer. */
export class CrashProxy {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private armed = false;
  /** Methods of the calls seen since `arm`, in the order Slack answered them. */
  readonly calls: string[] = [];
  hook: AnsweredHook | null = null;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.forward(req, res).catch(() => res.destroy()));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/api/`;
  }

  /** Starts counting calls (after the bot's own start-up calls). */
  arm(): void {
    this.armed = true;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'authorization']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
    const upstream = await fetch(new URL(req.url ?? '/', this.target), { method: req.method, headers, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) });
    const body = Buffer.from(await upstream.arrayBuffer());
    const method = decodeURIComponent((req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '');
    if (this.armed) {
      const index = this.calls.push(method) - 1;
      if (this.hook && (await this.hook(index, method)) === 'drop') {
        req.socket.destroy();
        return;
      }
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => { if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v; });
    if (!res.destroyed) res.writeHead(upstream.status, out).end(body);
  }
}
