import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { lint } from 'markdownlint/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeArgs, root } from '../support/bot-bundle.js';
import { type Harness, startHarness } from './harness.js';
import { declare } from './incident-helpers.js';

const run = promisify(execFile);

describe('the postmortem draft', () => {
  let h: Harness;
  let ch: string;

  beforeAll(async () => {
    h = await startHarness();
    // The reply links the channel only once the declarer is in it (issue 11 item 7), so wait for the set-up.
    ch = (await declare(h, 'sev2 Checkout | latency `spike`', 'U0001')).channel;
    await h.driver.command('role ic <@U0002>', { channelId: ch });
    await h.driver.command('severity sev1', { channelId: ch });
    await h.driver.command('log # Rolled back deploy 42 | cache flushed', { channelId: ch });
    await h.driver.command('update Error rate back to normal', { channelId: ch });
    await h.driver.command('action Add p99 latency alert <@U0003> due:2030-01-15', { channelId: ch });
    await h.driver.command('resolve Bad config in the checkout service', { channelId: ch });
  });
  afterAll(async () => { await h.close(); });

  it('/incident postmortem uploads INC-<n>-postmortem.md to the channel through the Web API', async () => {
    const res = await h.driver.command('postmortem', { channelId: ch, userId: 'U0002' });
    expect(res.json.text).toContain('INC-1-postmortem.md');
    const file = await h.emu.waitFor(() => h.emu.files.find((f) => f.name === 'INC-1-postmortem.md' && f.channels.includes(ch)));
    expect(file.channels).toContain(ch);
    const md = file.content;
    for (const heading of ['## Incident Summary', '## Timeline', '## Root Cause Analysis', '## Action Items']) expect(md).toContain(heading);
    expect(md).toContain('Bad config in the checkout service');
    expect(md).toContain('A-1');
    expect(md).toContain('SEV2');
    expect(md).toContain('```mermaid');
    // The gantt is fed UTC wall-clock times in a zone-less format, so a reader anywhere sees the tables' UTC times.
    expect(md).toContain('    dateFormat YYYY-MM-DD HH:mm:ss');
    const bar = /^ {4}Investigating :investigating, (\d{4}-\d\d-\d\d \d\d:\d\d):\d\d, /m.exec(md);
    const row = /^\| Investigating \| (\d{4}-\d\d-\d\d \d\d:\d\d) \|/m.exec(md);
    expect(bar?.[1]).toBeDefined();
    expect(bar?.[1]).toBe(row?.[1]);
    const results = await lint({ strings: { md }, config: { default: true, MD013: false } });
    expect(results.md).toEqual([]);
    expect(h.emu.violations).toEqual([]);
  });

  it('the CLI writes the same draft from the database alone', async () => {
    const out = path.join(h.dir, 'export.md');
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: h.env.DATABASE_URL! };
    await run(process.execPath, await nodeArgs('cli/postmortem', 'INC-1', '--out', out), { cwd: root, env });
    const md = fs.readFileSync(out, 'utf8');
    expect(md).toMatch(/^# INC-1/);
    expect(md).toContain('Bad config in the checkout service');
    const stdout = (await run(process.execPath, await nodeArgs('cli/postmortem', 'inc-1'), { cwd: root, env })).stdout;
    expect(stdout).toContain('## Timeline');
  });

  it('the CLI explains a bad or unknown reference', async () => {
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: h.env.DATABASE_URL! };
    const bad = await run(process.execPath, await nodeArgs('cli/postmortem', 'banana'), { cwd: root, env }).catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('INC-42');
    const missing = await run(process.execPath, await nodeArgs('cli/postmortem', 'INC-999'), { cwd: root, env }).catch((e) => e);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('INC-999 does not exist');
  });
});
