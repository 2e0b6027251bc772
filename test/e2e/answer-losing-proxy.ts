/** A proxy between the bot and the Slack emulator that loses answers after Slack acted: the ambiguous failures. */
import http from 'node:http';
import type { Socket } from 'node:net';

/** How an answer is lost. */
export type LossMode = 'drop' | 'hold' | 'withhold';

/**
 * A loopback proxy in front of the emulator that lets Slack act on a call and then loses the answer:
 * `drop` resets the connection after the emulator answered; `hold` keeps the answer past the client's timeout;
 * `withhold` never answers (until the proxy stops or the bot dies).
 */
export class AnswerLosingProxy {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private rules: { method: string; mode: LossMode; holdMs: number; remaining: number }[] = [];
  /** Methods whose answer was lost, in order. */
  readonly lost: string[] = [];
  /** Calls Slack acted on whose answer was withheld. */
  withheld = 0;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.forward(req, res).catch(() => res.destroy()));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/api/`;
  }

  /** Loses the answer of the next `times` calls to `method`. */
  loseAnswer(method: string, mode: LossMode, times = 1, holdMs = 0): void {
    this.rules.push({ method, mode, holdMs, remaining: times });
  }

  /** From now on withholds every answer of these methods (an empty list answers normally again). */
  withholdAnswers(methods: string[]): void {
    this.rules = this.rules.filter((r) => r.mode !== 'withhold');
    for (const method of methods) this.rules.push({ method, mode: 'withhold', holdMs: 0, remaining: Infinity });
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
    const rule = this.rules.find((r) => r.method === method && r.remaining > 0);
    if (rule) {
      rule.remaining--;
      this.lost.push(method);
      if (rule.mode === 'drop') {
        req.socket.destroy();
        return;
      }
      if (rule.mode === 'withhold') {
        this.withheld++;
        return; // Slack has acted; the answer never comes (the socket is destroyed on stop or when the bot dies)
      }
      await new Promise((r) => setTimeout(r, rule.holdMs));
      if (res.destroyed) return;
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => { if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v; });
    res.writeHead(upstream.status, out).end(body);
  }
}
