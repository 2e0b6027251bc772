/**
 * A lean client for latency measurements: one keep-alive HTTP agent, a slash-command body built like Slack's, signed
 * with the emulator's signing helper, timed from the write of the request to the last byte of the answer.
 * (SlackDriver also validates every ack it reads, which would add to the bot's figures but not the bare app's.)
 */
import http from 'node:http';
import { signatureHeaders } from '../../test/slack-emulator/signing.js';
import { APP_ID, TEAM_DOMAIN, TEAM_ID } from '../../test/slack-emulator/state.js';

/** A signed-command sender to one receiver URL. */
export class SignedClient {
  private readonly agent: http.Agent;
  private readonly url: URL;
  private seq = 0;

  constructor(receiverUrl: string, private readonly signingSecret: string, private readonly responseBase: string, maxSockets: number) {
    this.url = new URL('/slack/events', receiverUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** Sends `/incident <text>` from `userId` in `channelId`; resolves with the status and the elapsed ms. */
  command(text: string, channelId: string, channelName: string, userId = 'U0001', timeoutMs = 10_000): Promise<{ status: number; ms: number; body: string }> {
    const n = ++this.seq;
    const body = new URLSearchParams({
      token: 'emulator-verification-token', team_id: TEAM_ID, team_domain: TEAM_DOMAIN, channel_id: channelId, channel_name: channelName,
      user_id: userId, user_name: userId.toLowerCase(), command: '/incident', text, api_app_id: APP_ID, is_enterprise_install: 'false',
      response_url: `${this.responseBase}response/bench${n}`, trigger_id: `${n}.0000000000.bench${n}`,
    }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), ...signatureHeaders(this.signingSecret, body) };
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(this.url, { method: 'POST', headers, agent: this.agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}
