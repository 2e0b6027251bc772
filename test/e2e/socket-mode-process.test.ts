/** The bot process in Socket Mode: a refused app token ends start-up with one line; SIGTERM closes the socket and exits 0. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../slack-emulator/index.js';
import { runUntilExit, spawnBot } from './bot-process.js';
import { APP_TOKEN, BOT_TOKEN, freePort } from './harness.js';

describe('the bot process in Socket Mode', () => {
  let emu: SlackEmulator;
  let dir: string;
  beforeAll(async () => {
    emu = new SlackEmulator({ socketMode: { appToken: APP_TOKEN } });
    await emu.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-socket-'));
  });
  afterAll(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = async (appToken: string) => ({
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: appToken, SLACK_API_URL: emu.apiUrl, PORT: String(await freePort()),
    DATABASE_URL: `file:${path.join(dir, `${appToken.length}.db`)}`, LOG_LEVEL: 'info',
  });

  it('exits 1 with one line naming SLACK_APP_TOKEN when Slack refuses it', async () => {
    const run = await runUntilExit(await env('xapp-1-A0APP-1-revoked'));
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^SLACK_APP_TOKEN was refused by Slack \(apps\.connections\.open: invalid_auth\)/);
  });

  it('connects through SLACK_API_URL, and on SIGTERM closes the socket and exits 0', async () => {
    const bot = await spawnBot(await env(APP_TOKEN));
    try {
      await emu.socketMode.waitForConnections(1);
      const started = await emu.waitFor(() => bot.output().split('\n').find((l) => l.includes('incident bot started')), { message: 'no start line' });
      expect(JSON.parse(started)).toMatchObject({ mode: 'socket' });
      expect(emu.callsTo('apps.connections.open').at(-1)!.token).toBe(APP_TOKEN);
      const exit = new Promise<number | null>((resolve) => bot.child.once('exit', (code) => resolve(code)));
      bot.child.kill('SIGTERM');
      expect(await exit).toBe(0);
      await emu.waitFor(() => emu.socketMode.connections === 0, { message: 'the socket stayed open after exit' });
    } finally {
      await bot.stop();
    }
    expect(emu.socketMode.problems).toEqual([]);
  });
});
