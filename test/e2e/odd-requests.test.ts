/** Requests the bot does not serve, from anyone: odd paths, methods, headers and bodies answer 4xx and never end the process. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../slack-emulator/index.js';
import { spawnBot, type BotProcess } from './bot-process.js';
import { BOT_TOKEN, SIGNING_SECRET, freePort } from './harness.js';

/** Sends raw bytes and resolves with whatever came back (empty when the bot closed the connection). */
function raw(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => { answer += String(d); });
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.setTimeout(5000, () => socket.destroy());
    socket.end(bytes);
  });
}

describe('requests the bot does not serve', () => {
  let emu: SlackEmulator;
  let bot: BotProcess;
  let dir: string;
  let port: number;

  beforeAll(async () => {
    emu = new SlackEmulator();
    await emu.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-odd-'));
    port = await freePort();
    bot = await spawnBot({
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emu.apiUrl, PORT: String(port),
      DATABASE_URL: `file:${path.join(dir, 'incidents.db')}`, LOG_LEVEL: 'info',
    });
  }, 30_000);

  afterAll(async () => {
    await bot?.stop();
    await emu?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 404 to an unauthenticated POST to a path it does not serve (the request that used to stop it)', async () => {
    const res = await fetch(`${bot.url}/anything`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
    expect(res.status).toBe(404);
    expect(bot.child.exitCode).toBeNull();
  });

  it('answers every odd request with a 4xx, stays up, and /healthz still says 200', async () => {
    const url = bot.url;
    const big = 'a'.repeat(5 * 1024 * 1024);
    const garbled = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));
    const fetches: Array<[string, RequestInit]> = [
      ['/anything', { method: 'POST', body: 'x=1' }],
      ['/anything', { method: 'GET' }],
      ['/', { method: 'GET' }],
      ['/', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }],
      ['/slack/events', { method: 'GET' }],
      ['/slack/events', { method: 'PUT', body: 'x' }],
      ['/slack/events', { method: 'DELETE' }],
      ['/slack/events/../../etc/passwd', { method: 'POST', body: 'x' }],
      ['/healthz', { method: 'POST', body: 'x' }],
      ['/healthz', { method: 'DELETE' }],
      ['/metrics', { method: 'PUT', body: 'x' }],
      ['/metrics', { method: 'PATCH', body: '{"a":1}', headers: { 'content-type': 'application/json' } }],
      ['/%', { method: 'POST', body: 'x' }],
      ['/%E0%A4%A', { method: 'GET' }],
      ['/a?b=%ZZ&c', { method: 'POST', body: 'x' }],
      ['/' + 'x'.repeat(6000), { method: 'POST', body: 'x' }],
      ['/anything', { method: 'POST', body: big }],
      ['/anything', { method: 'POST', body: garbled, headers: { 'content-type': 'application/octet-stream' } }],
      ['/anything', { method: 'POST', body: 'null', headers: { 'content-type': 'application/json' } }],
      ['/anything', { method: 'POST', body: '{', headers: { 'content-type': 'application/json; charset=utf-16' } }],
      ['/slack/events', { method: 'POST', body: big }],
      ['/slack/events', { method: 'POST', body: garbled, headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      ['/slack/events', { method: 'POST', body: 'payload=%ZZ%', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      ['/slack/events', { method: 'POST', body: '{"type":"url_verification"', headers: { 'content-type': 'application/json' } }],
      ['/slack/events', { method: 'POST', body: 'x', headers: { 'content-type': 'multipart/form-data; boundary=zz' } }],
      ['/slack/events', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain', 'x-slack-signature': 'v0=zz', 'x-slack-request-timestamp': 'not-a-number' } }],
      ['/slack/events', { method: 'POST', body: 'x', headers: { 'x-slack-signature': '', 'x-slack-request-timestamp': '99999999999999999999' } }],
      ['/hooks/unknown', { method: 'POST', body: '{}', headers: { authorization: 'Bearer nope', 'content-type': 'application/json' } }],
    ];
    for (const [p, init] of fetches) {
      const res = await fetch(`${url}${p}`, init).catch((err: unknown) => err as Error);
      if (res instanceof Error) continue; // the bot may close a connection it will not read (a huge body); it must not die
      expect(res.status, `${init.method} ${p.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${init.method} ${p.slice(0, 40)}`).toBeLessThan(500);
      await res.arrayBuffer().catch(() => undefined);
    }
    const raws = [
      'POST /anything HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab', // body shorter than announced, then closed
      'POST /anything HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\ngarbage\r\n',
      'GARBAGE / HTTP/1.1\r\n\r\n',
      'POST / HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: \u0001\u0002\r\n\r\n',
      `GET /anything HTTP/1.1\r\nHost: x\r\nX-Huge: ${'h'.repeat(20_000)}\r\n\r\n`,
      'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd',
      '\u0000\u0001\u0002\u00ff\r\n\r\n',
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00]), // a TLS hello to a plain-HTTP port
    ];
    for (const bytes of raws) {
      const answer = await raw(port, bytes);
      if (answer) expect(answer).not.toMatch(/^HTTP\/1\.[01] [25]\d\d/);
    }
    // A connection dropped in the middle of a big body.
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(`POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\ncontent-type: application/json\r\n\r\n{"a":`);
        setTimeout(() => { socket.destroy(); resolve(); }, 50);
      });
      socket.on('error', () => resolve());
    });

    await new Promise((r) => setTimeout(r, 300));
    expect(bot.child.exitCode).toBeNull();
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    expect(bot.output()).not.toContain('HTTPReceiverDeferredRequestError');
    expect(bot.output()).not.toMatch(/uncaught|unhandled rejection/i);
  }, 60_000);
});
