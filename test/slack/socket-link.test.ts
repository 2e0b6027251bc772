/** SocketLink's retries after a refused reconnect, on a fake clock: production's 5 s doubling to 60 s, and a tuned pace. */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { RETRY_MAX_MS, RETRY_MIN_MS, SocketLink, type SocketLinkRetry } from '../../src/slack/socket-link.js';

/** A stand-in for the socket client: `start` fails while `refused` is set, and says `connected` otherwise. */
class FakeClient extends EventEmitter {
  refused = false;
  readonly starts: number[] = [];
  async start(): Promise<unknown> {
    this.starts.push(Date.now());
    if (this.refused) throw Object.assign(new Error('An API error occurred: invalid_auth'), { data: { ok: false, error: 'invalid_auth' } });
    this.emit('connected');
    return {};
  }
}

function linked(retry?: SocketLinkRetry): { client: FakeClient; link: SocketLink } {
  const client = new FakeClient();
  const link = new SocketLink({ client } as never, createLogger('silent'), Date.now, retry);
  return { client, link };
}

/** The waits between the client's starts after the first (the reconnect the client itself makes). */
const gaps = (starts: number[]): number[] => starts.slice(2).map((t, i) => t - starts[i + 1]!);

describe('SocketLink', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('with no tuning retries a refused reconnect after 5 s, doubling to 60 s, until Slack accepts, then starts again at 5 s', async () => {
    expect([RETRY_MIN_MS, RETRY_MAX_MS]).toEqual([5000, 60_000]);
    const { client, link } = linked();
    await client.start();
    expect(link.current().state).toBe('connected');

    client.refused = true;
    await client.start(); // the client's own reconnect after a refresh: refused, and swallowed
    expect(link.current()).toMatchObject({ state: 'refused', lastError: 'invalid_auth' });
    await vi.advanceTimersByTimeAsync(5000 + 10_000 + 20_000 + 40_000 + 60_000 + 60_000);
    expect(gaps(client.starts)).toEqual([5000, 10_000, 20_000, 40_000, 60_000, 60_000]);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(client.starts).toHaveLength(8); // nothing before the next minute is up
    client.refused = false;
    await vi.advanceTimersByTimeAsync(1);
    expect(link.current()).toMatchObject({ state: 'connected', lastError: null });

    client.refused = true;
    await client.start();
    const before = client.starts.length;
    await vi.advanceTimersByTimeAsync(4999);
    expect(client.starts).toHaveLength(before);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.starts).toHaveLength(before + 1);
    link.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(client.starts).toHaveLength(before + 1);
    expect(link.current().state).toBe('stopped');
  });

  it('takes a shorter pace when given one (tests), with the same doubling and cap', async () => {
    const { client, link } = linked({ minMs: 200, maxMs: 1000 });
    await client.start();
    client.refused = true;
    await client.start();
    await vi.advanceTimersByTimeAsync(200 + 400 + 800 + 1000 + 1000);
    expect(gaps(client.starts)).toEqual([200, 400, 800, 1000, 1000]);
    expect(link.current().state).toBe('refused');
    link.stop();
  });

  it('leaves a refusal at the first start to start-up (it throws), and retries nothing', async () => {
    const { client, link } = linked();
    client.refused = true;
    await expect(client.start()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.starts).toHaveLength(1);
    link.stop();
  });
});
