/** Start-up that refuses instead of limping: each bad setting ends the real process non-zero with one line naming it. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../slack-emulator/index.js';
import { runUntilExit, spawnBot } from './bot-process.js';
import { BOT_TOKEN, SIGNING_SECRET, freePort } from './harness.js';

const STACK = /\n\s+at |node:internal|\.ts:\d+/;

describe('start-up refusals', () => {
  let emu: SlackEmulator;
  let dir: string;
  const env = async (over: Record<string, string> = {}) => ({
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emu.apiUrl, PORT: String(await freePort()),
    DATABASE_URL: `file:${path.join(dir, `db-${Math.random().toString(36).slice(2)}.db`)}`, LOG_LEVEL: 'info', SCHEDULER_TICK: '1s', ...over,
  });

  /** The one line the refusal printed, checked for the setting's name and the absence of a stack trace. */
  function refusal(out: { code: number | null; stdout: string; stderr: string }, setting: string): string {
    expect(out.code, out.stdout + out.stderr).not.toBe(0);
    expect(out.code).not.toBeNull();
    const lines = out.stderr.trim().split('\n');
    expect(lines.join('\n')).toContain(setting);
    expect(out.stderr).not.toMatch(STACK);
    expect(out.stdout).not.toContain('incident bot started');
    return lines.find((l) => l.includes(setting))!;
  }

  beforeAll(async () => {
    emu = new SlackEmulator();
    await emu.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-refusals-'));
  });
  afterAll(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bot token Slack refuses (auth.test), saying where to get the right one', async () => {
    emu.refuseToken('xoxb-wrong-token', 'invalid_auth');
    const out = await runUntilExit(await env({ SLACK_BOT_TOKEN: 'xoxb-wrong-token' }));
    const line = refusal(out, 'SLACK_BOT_TOKEN');
    expect(line).toMatch(/refused by Slack.*invalid_auth.*xoxb-/);
    expect(line).not.toContain('wrong-token');
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('logs the team and the bot identity when Slack accepts the token', async () => {
    const bot = await spawnBot(await env());
    try {
      const line = await emu.waitFor(() => bot.output().split('\n').find((l) => l.includes('Slack accepted the bot token')), { message: 'no log line about the accepted token' });
      expect(JSON.parse(line)).toMatchObject({ team: 'Emulator', teamId: expect.stringMatching(/^T/), botUserId: 'U0BOT', botId: expect.stringMatching(/^B/) });
    } finally {
      await bot.stop();
    }
  });

  it('refuses a PORT that cannot be bound, and nothing keeps running (no scheduler, no delivery)', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '0.0.0.0', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const before = emu.calls.length;
      const out = await runUntilExit(await env({ PORT: String(port) }));
      const line = refusal(out, 'PORT');
      expect(line).toMatch(new RegExp(`PORT ${port} cannot be bound.*already in use.*PORT=`));
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
      // Neither the token check nor any delivery ran: the port is checked first.
      expect(emu.calls.slice(before).map((c) => c.method)).toEqual([]);
    } finally {
      holder.close();
    }
  });

  it('refuses a database it cannot open or create (a path under a regular file) without a stack trace', async () => {
    const file = path.join(dir, 'plain-file');
    fs.writeFileSync(file, 'not a folder');
    const out = await runUntilExit(await env({ DATABASE_URL: `file:${path.join(file, 'sub', 'incidents.db')}` }));
    const line = refusal(out, 'DATABASE_URL');
    expect(line).toMatch(/cannot open or create the SQLite database.*ENOTDIR.*e\.g\. file:/);
  });

  it('refuses a file that is not a SQLite database', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'these are notes, not a database\n'.repeat(200));
    const out = await runUntilExit(await env({ DATABASE_URL: `file:${file}` }));
    expect(refusal(out, 'DATABASE_URL')).toMatch(/cannot open or create the SQLite database/);
    expect(fs.readFileSync(file, 'utf8')).toContain('these are notes');
  });

  it.each([
    ['mysql://db/incidents', /DATABASE_URL scheme "mysql:" is not supported.*e\.g\. file:/],
    ['postgres:///incidents', /DATABASE_URL must name a PostgreSQL server, e\.g\. postgres:\/\//],
  ])('refuses DATABASE_URL=%s, creating nothing', async (url, message) => {
    const cwd = fs.readdirSync(process.cwd());
    const out = await runUntilExit(await env({ DATABASE_URL: url }));
    expect(refusal(out, 'DATABASE_URL')).toMatch(message);
    expect(fs.readdirSync(process.cwd())).toEqual(cwd);
  });
});
