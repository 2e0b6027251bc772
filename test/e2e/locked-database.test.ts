/** Another process holding the SQLite write lock: every request is still answered inside Slack's 3 s, with a clear "busy, try again" and nothing half-written. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { declare, textOf } from './incident-helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts another process that takes the database's write lock and keeps it until killed. */
async function holdWriteLock(file: string): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO handled_requests (key, response, created_at) VALUES ('other-process', NULL, 0)").run();
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['-e', script, file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('locked')) resolve(); });
  });
  return child;
}

async function release(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

/** Sends a command and measures how long the acknowledgement took. */
async function timed(h: Harness, text: string, opts: { userId?: string; channelId?: string } = {}) {
  const t0 = performance.now();
  const res = await h.driver.command(text, opts);
  const end = performance.now();
  return { res, ms: end - t0, end };
}

async function healthzWithin1s(h: Harness): Promise<{ status: number }> {
  const res = await fetch(`${h.url}/healthz`, { signal: AbortSignal.timeout(1000) });
  return { status: res.status };
}

describe('a database locked by another process', () => {
  let h: Harness;
  let holder: ChildProcess | null = null;
  afterEach(async () => {
    if (holder) await release(holder);
    holder = null;
    await h?.close();
  });

  it('declarations and changes are answered "busy, try again" within 3 s, other requests are not stalled, and nothing is half-written', async () => {
    h = await startHarness();
    const inc = await declare(h, 'sev2 Before the lock');
    const file = h.env.DATABASE_URL!.replace(/^file:/, '');
    const before = {
      incidents: (await h.bot.store.incidents.listOpen()).length,
      timeline: (await h.bot.store.timeline.list(inc.id)).length,
      creates: h.emu.callsTo('conversations.create').length,
    };

    holder = await holdWriteLock(file);
    const [declared, logged, help] = await Promise.all([
      timed(h, 'declare sev1 Everything is on fire', { userId: 'U0002' }),
      timed(h, 'log Restarted the database', { userId: 'U0003', channelId: inc.channel }),
      // Needs no write: answered at once, not stuck behind the waiting ones.
      new Promise<Awaited<ReturnType<typeof timed>>>((resolve) => setTimeout(() => resolve(timed(h, 'help')), 100)),
    ]);

    for (const { res, ms } of [declared, logged]) {
      expect(res.status).toBe(200);
      expect(ms).toBeLessThan(3000); // Slack's limit for an acknowledgement
      expect(res.json.response_type).toBe('ephemeral');
      expect(res.json.text).toMatch(/database is busy/);
      expect(res.json.text).toMatch(/nothing was changed/);
      expect(res.json.text).toMatch(/try again/);
      expect(res.json.text).not.toMatch(/Something went wrong/);
    }
    expect(help.res.status).toBe(200);
    expect(textOf(help.res.json.blocks)).toContain('Incident bot commands');
    // Answered while the other two were still waiting for the lock: the wait does not block the process.
    expect(help.end).toBeLessThan(Math.min(declared.end, logged.end));
    // /healthz tries a real write: it answers at once (503 while the lock is held elsewhere), never stalled by the lock.
    const health = await healthzWithin1s(h);
    expect([200, 503]).toContain(health.status);

    await release(holder);
    holder = null;
    // Nothing of the refused requests was written, and nothing reached Slack.
    expect((await h.bot.store.incidents.listOpen()).length).toBe(before.incidents);
    expect((await h.bot.store.timeline.list(inc.id)).length).toBe(before.timeline);
    expect(h.emu.callsTo('conversations.create').length).toBe(before.creates);

    // Once the lock is gone the same requests work.
    const again = await h.driver.command('log Restarted the database', { userId: 'U0003', channelId: inc.channel });
    expect(again.json.text).toContain(`Added to the ${inc.ref} timeline`);
    const next = await declare(h, 'sev1 Everything is on fire', 'U0002');
    expect(next.id).toBe(inc.id + 1);
    expect(h.emu.violations).toEqual([]);
  });

  it('Slack work queued before the lock is delivered once the lock is released', async () => {
    h = await startHarness();
    const inc = await declare(h, 'sev2 Deliveries wait');
    const file = h.env.DATABASE_URL!.replace(/^file:/, '');
    // Slow answers keep the delivery in flight while the lock is taken: its outcome can only be recorded afterwards.
    h.emu.setLatency(700);
    await h.driver.command('update Failing over to the replica', { userId: 'U0001', channelId: inc.channel });
    holder = await holdWriteLock(file);
    h.emu.setLatency(0);
    // Let the worker run into the lock (it cannot record its deliveries), then let go.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await h.bot.queue.stats()).inflight).toBeGreaterThan(0);
    await release(holder);
    holder = null;
    await h.emu.waitFor(async () => {
      const s = await h.bot.queue.stats();
      return s.pending === 0 && s.inflight === 0;
    }, { message: 'outbox not drained after the lock was released', timeoutMs: 10_000 });
    const posted = h.emu.messages(inc.channel).filter((m) => textOf(m.blocks).includes('Failing over to the replica'));
    expect(posted).toHaveLength(1);
    expect(h.emu.violations).toEqual([]);
  });
});
