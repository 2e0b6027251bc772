/**
 * The Dockerfile's steps replayed without Docker (no runtime here can pull base images): copy what its build stage
 * copies into a clean folder, `npm ci --omit=dev` (whose prepare builds dist/), then run `node dist/main.js` from it
 * against the Slack emulator. Proves nothing the bot needs at run time is a dev dependency.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackDriver, SlackEmulator } from '../slack-emulator/index.js';
import { APP_FILES, copyApp, repoRoot, run } from './app-copy.js';
import { BOT_TOKEN, SIGNING_SECRET, freePort } from './harness.js';

const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');

/** Sources of the build stage's COPY lines (the ones not --from another stage). */
function buildStageCopies(): string[] {
  const build = dockerfile.split(/^FROM /m)[1]!;
  return build.split('\n').filter((l) => /^COPY (?!--from)/.test(l)).flatMap((l) => l.replace(/^COPY /, '').trim().split(/\s+/).slice(0, -1));
}

describe('the production image, replayed', () => {
  let emu: SlackEmulator;
  let app: string;
  let data: string;
  let bot: ChildProcess | undefined;

  beforeAll(async () => {
    emu = new SlackEmulator();
    await emu.start();
    app = copyApp('incident-bot-image-');
    data = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-volume-'));
    // The Dockerfile's RUN line; --prefer-offline uses the local npm cache when it has the packages.
    const env = { ...process.env, NODE_ENV: 'production' };
    if (process.env.FULL_IMAGE_REPLAY === '1') {
      await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], app, env, 600_000);
    } else {
      // Fast by default: compiling better-sqlite3 (no prebuilt binaries offline) takes minutes, so its native build is
      // taken from the repository's own install of the same version; `prepare` (the build) then runs as npm ci runs it.
      await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], app, env, 600_000);
      const native = (root: string) => path.join(root, 'node_modules', 'better-sqlite3');
      const version = (root: string) => (JSON.parse(fs.readFileSync(path.join(native(root), 'package.json'), 'utf8')) as { version: string }).version;
      expect(version(app)).toBe(version(repoRoot));
      fs.cpSync(path.join(native(repoRoot), 'build', 'Release', 'better_sqlite3.node'), path.join(native(app), 'build', 'Release', 'better_sqlite3.node'));
      await run('npm', ['run', 'prepare'], app, env);
    }
  }, 660_000);

  afterAll(async () => {
    if (bot && bot.exitCode === null) bot.kill('SIGKILL');
    await emu.stop();
    fs.rmSync(app, { recursive: true, force: true });
    fs.rmSync(data, { recursive: true, force: true });
  });

  it('copies exactly the files the replay copies, runs node dist/main.js as a non-root user, checks /healthz, keeps the database on a volume', () => {
    expect(buildStageCopies().sort()).toEqual([...APP_FILES].sort());
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n[^\n]*\/healthz/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(dockerfile).toMatch(/DATABASE_URL=file:\/data\//);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
  });

  it('installs without dev dependencies, with dist/ built at install', () => {
    expect(fs.existsSync(path.join(app, 'dist', 'main.js'))).toBe(true);
    expect(fs.existsSync(path.join(app, 'dist', 'cli', 'backup.js'))).toBe(true);
    for (const dev of ['vitest', 'typescript', 'drizzle-kit', 'ws', 'fast-check']) expect(fs.existsSync(path.join(app, 'node_modules', dev)), dev).toBe(false);
  });

  it('starts node dist/main.js from the clean install: /healthz 200, a declaration works, SIGTERM exits 0', async () => {
    // Run from a copy holding only what the image's second stage has.
    const image = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-image-run-'));
    for (const f of ['package.json', 'node_modules', 'dist', 'migrations']) fs.renameSync(path.join(app, f), path.join(image, f));
    try {
      const port = await freePort();
      bot = spawn(process.execPath, ['dist/main.js'], {
        cwd: image,
        env: {
          PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), DATABASE_URL: `file:${path.join(data, 'incidents.db')}`,
          SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emu.apiUrl,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      bot.stdout!.on('data', (d) => { out += String(d); });
      bot.stderr!.on('data', (d) => { out += String(d); });
      const exited = new Promise<number | null>((resolve) => bot!.once('exit', (c) => resolve(c)));
      const url = `http://127.0.0.1:${port}`;
      const health = await emu.waitFor(async () => {
        if (bot!.exitCode !== null) throw new Error(`the bot exited:\n${out}`);
        return fetch(`${url}/healthz`).then((r) => (r.status === 200 ? r.json() : null), () => null);
      }, { timeoutMs: 20_000, message: `no /healthz 200:\n${out}` });
      expect(health).toMatchObject({ database: 'ok' });

      const driver = new SlackDriver({ botUrl: url, signingSecret: SIGNING_SECRET, emulator: emu });
      const res = await driver.command('declare sev2 Image smoke test', { userId: 'U0001' });
      expect(String(res.json.text)).toContain('INC-1');
      await emu.waitFor(() => emu.channels.find((c) => c.name.startsWith('inc-1-image-smoke-test')), { message: 'no channel' });
      expect(fs.existsSync(path.join(data, 'incidents.db'))).toBe(true);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^incident_bot_build_info\{version="\d+\.\d+\.\d+"/m);

      bot.kill('SIGTERM');
      expect(await exited, out).toBe(0);
    } finally {
      fs.rmSync(image, { recursive: true, force: true });
    }
  }, 60_000);
});
