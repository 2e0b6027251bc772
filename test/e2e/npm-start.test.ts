/** `npm start` under a supervisor: no build at start, the bot receives the signal, finishes what is in flight and exits 0; stdout is JSON lines only. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackDriver, SlackEmulator } from '../slack-emulator/index.js';
import { copyApp, repoRoot, run } from './app-copy.js';
import { BOT_TOKEN, SIGNING_SECRET, freePort } from './harness.js';

interface Started { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<[number | null, NodeJS.Signals | null]>; url: string }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  let emu: SlackEmulator;
  let app: string;

  beforeAll(async () => {
    emu = new SlackEmulator();
    await emu.start();
    // A copy of the app with the shared dependencies and its own build (as `npm ci` leaves it: prepare builds dist/).
    app = copyApp('incident-bot-npm-start-');
    fs.symlinkSync(fs.realpathSync(path.join(repoRoot, 'node_modules')), path.join(app, 'node_modules'));
    await run(process.execPath, ['scripts/build.mjs'], app);
  }, 60_000);
  afterAll(async () => {
    await emu.stop();
    fs.rmSync(app, { recursive: true, force: true });
  });

  async function start(cmd: string, args: string[]): Promise<Started> {
    const port = await freePort();
    const child = spawn(cmd, args, {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? app, npm_config_update_notifier: 'false', npm_config_fund: 'false',
        SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emu.apiUrl, PORT: String(port),
        DATABASE_URL: `file:${path.join(app, 'data', `${port}.db`)}`, LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => { stdout += String(d); });
    child.stderr!.on('data', (d) => { stderr += String(d); });
    const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    const url = `http://127.0.0.1:${port}`;
    await emu.waitFor(async () => stdout.includes('incident bot started') && (await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false)), { timeoutMs: 20_000, message: `bot did not start:\n${stdout}${stderr}` });
    return { child, stdout: () => stdout, stderr: () => stderr, exit, url };
  }

  const pidOf = (stdout: string): number => {
    const line = stdout.split('\n').find((l) => l.includes('incident bot started'))!;
    return (JSON.parse(line) as { pid: number }).pid;
  };

  it('runs the built bot without building, and SIGTERM to npm stops the bot after its delivery in flight, exit 0', async () => {
    const before = fs.statSync(path.join(app, 'dist', 'main.js')).mtimeMs;
    const bot = await start('npm', ['start']);
    expect(fs.statSync(path.join(app, 'dist', 'main.js')).mtimeMs).toBe(before); // no build at start
    const pid = pidOf(bot.stdout());
    expect(pid).not.toBe(bot.child.pid);
    expect(alive(pid)).toBe(true);

    // A declaration whose channel creation is still with Slack when the signal arrives.
    emu.inject('conversations.create', { delayMs: 1500 });
    const driver = new SlackDriver({ botUrl: bot.url, signingSecret: SIGNING_SECRET, emulator: emu });
    const declared = await driver.command('declare sev2 Signal during delivery', { userId: 'U0001' });
    expect(declared.status).toBe(200);
    await emu.waitFor(() => emu.callsTo('conversations.create').length > 0, { message: 'no delivery in flight' });
    bot.child.kill('SIGTERM');

    const [code] = await bot.exit;
    expect(code, bot.stdout() + bot.stderr()).toBe(0);
    await emu.waitFor(() => !alive(pid), { timeoutMs: 5000, message: 'the bot outlived npm' });
    // The delivery in flight was finished, not cut: Slack answered it and the channel exists.
    const create = emu.callsTo('conversations.create').at(-1)!;
    expect(create.status).toBe(200);
    expect(emu.channels.some((c) => c.name.includes('signal-during-delivery'))).toBe(true);
    expect(bot.stdout()).toContain('"signal":"SIGTERM"');
  }, 60_000);

  it('SIGINT to the bot itself also exits 0; every line it writes to stdout is JSON', async () => {
    const bot = await start(process.execPath, ['dist/main.js']);
    const driver = new SlackDriver({ botUrl: bot.url, signingSecret: SIGNING_SECRET, emulator: emu });
    await driver.command('help', { userId: 'U0001' });
    await driver.command('declare sev3 Logs are JSON', { userId: 'U0001' });
    await fetch(`${bot.url}/nothing-here`, { method: 'POST', body: 'x=1' });
    bot.child.kill('SIGINT');
    const [code] = await bot.exit;
    expect(code, bot.stderr()).toBe(0);
    const lines = bot.stdout().split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      let parsed: unknown;
      expect(() => { parsed = JSON.parse(line); }, line).not.toThrow();
      expect(parsed).toMatchObject({ level: expect.any(Number), time: expect.any(String), msg: expect.any(String) });
    }
  }, 60_000);
});
