/** The command-line tools: --help, refusing a database that does not exist (never creating one), non-zero exits on errors. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { nodeArgs } from '../support/bot-bundle.js';

interface Ran { code: number | null; stdout: string; stderr: string }

async function cli(name: 'backup' | 'postmortem', args: string[], env: Record<string, string>, cwd: string): Promise<Ran> {
  const argv = await nodeArgs(`cli/${name}`, ...args);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const STACK = /\n\s+at |node:internal/;

describe('command-line tools', () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-cli-'));
    db = path.join(dir, 'incidents.db');
    const opened = openStore(`file:${db}`);
    await opened.ready();
    await opened.close();
  });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it.each(['backup', 'postmortem'] as const)('%s --help prints its usage, exits 0 and writes no file', async (name) => {
    for (const flag of ['--help', '-h']) {
      const out = await cli(name, [flag], { DATABASE_URL: `file:${db}` }, dir);
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/^usage: npm run /);
      expect(out.stdout).toContain('DATABASE_URL');
    }
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('-'))).toEqual([]);
  });

  it.each([
    ['backup', ['copy.db']],
    ['postmortem', ['INC-1']],
  ] as const)('%s refuses a database that does not exist, creating nothing, exit 1', async (name, args) => {
    const missing = path.join(dir, 'typo', 'incidnets.db');
    const out = await cli(name, [...args], { DATABASE_URL: `file:${missing}` }, dir);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`There is no database at ${missing}`);
    expect(out.stderr).toContain('never creates one');
    expect(out.stderr).not.toMatch(STACK);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'copy.db'))).toBe(false);
  });

  it('backup copies an existing database, and refuses to overwrite or to guess', async () => {
    const target = path.join(dir, 'backups', 'b1.db');
    const ok = await cli('backup', [target], { DATABASE_URL: `file:${db}` }, dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(fs.statSync(target).size).toBeGreaterThan(0);
    const again = await cli('backup', [target], { DATABASE_URL: `file:${db}` }, dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    const none = await cli('backup', [], { DATABASE_URL: `file:${db}` }, dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: npm run backup');
    const odd = await cli('backup', ['--force', target], { DATABASE_URL: `file:${db}` }, dir);
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/Unknown option '--force'/);
    const scheme = await cli('backup', ['x.db'], { DATABASE_URL: 'mysql://db/incidents' }, dir);
    expect(scheme.code).toBe(1);
    expect(scheme.stderr).toMatch(/DATABASE_URL scheme "mysql:" is not supported/);
  });

  it('postmortem exits non-zero for a bad reference or an unknown incident', async () => {
    const bad = await cli('postmortem', ['banana'], { DATABASE_URL: `file:${db}` }, dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not an incident reference like INC-42');
    const unknown = await cli('postmortem', ['INC-999'], { DATABASE_URL: `file:${db}` }, dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/INC-999/);
    expect(unknown.stderr).not.toMatch(STACK);
    const noValue = await cli('postmortem', ['INC-1', '--out'], { DATABASE_URL: `file:${db}` }, dir);
    expect(noValue.code).toBe(2);
  });
});
