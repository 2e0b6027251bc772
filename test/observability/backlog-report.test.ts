import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { reportBacklog } from '../../src/observability/backlog-report.js';
import { createLogger } from '../../src/observability/logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } });
  return { lines, logger: createLogger('info', [], stream) };
}

describe('backlog report', () => {
  it('says how much waits for Slack, how old the oldest is, and which circuits are open', async () => {
    const { lines, logger } = capture();
    await reportBacklog({ stats: async () => ({ pending: 7, inflight: 1, dead: 2, oldestPendingAt: 40_000 }), openCircuits: () => ({ 'chat.postMessage': 'open' }), clock: () => 100_000 }, logger);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, pending: 7, inflight: 1, dead: 2, oldestAgeSeconds: 60, circuits: { 'chat.postMessage': 'open' } });
    expect(String(lines[0]!.msg)).toContain('8 Slack deliveries waiting');
  });

  it('stays quiet when nothing waits and every circuit is closed', async () => {
    const { lines, logger } = capture();
    await reportBacklog({ stats: async () => ({ pending: 0, inflight: 0, dead: 3, oldestPendingAt: null }), openCircuits: () => ({}), clock: () => 0 }, logger);
    expect(lines).toHaveLength(0);
  });
});

describe('logger redaction', () => {
  it('never writes a token or the signing secret, even inside messages and errors', () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const logger = createLogger('info', ['mysigningsecret123'], stream);
    logger.info({ token: 'xoxb-111-222-abc', config: { botToken: 'xoxb-111-222-abc' } }, 'calling with xoxb-111-222-abc and xapp-1-A1-secret');
    logger.error({ err: new Error('bad secret mysigningsecret123') }, 'failed');
    const out = lines.join('');
    expect(out).not.toContain('xoxb-111-222-abc');
    expect(out).not.toContain('xapp-1-A1-secret');
    expect(out).not.toContain('mysigningsecret123');
    expect(out).toContain('[REDACTED]');
  });
});
