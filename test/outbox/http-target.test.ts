import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/observability/metrics.js';
import { TargetCallError } from '../../src/outbox/failure.js';
import { TargetHttpClient, retryAfterMs } from '../../src/outbox/http-target.js';
import { CircuitBreakers } from '../../src/slack/circuit-breaker.js';

const T0 = Date.UTC(2026, 0, 1);

describe('TargetHttpClient', () => {
  let server: http.Server | null = null;
  afterEach(async () => { if (server) await new Promise((r) => server!.close(r)); server = null; });

  async function serve(answers: { status: number; headers?: Record<string, string>; body?: unknown }[]): Promise<{ url: string; seen: unknown[] }> {
    const seen: unknown[] = [];
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        seen.push(JSON.parse(body || 'null'));
        const a = answers.shift() ?? { status: 200, body: {} };
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(JSON.stringify(a.body ?? {}));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/x`, seen };
  }

  const failureOf = async (p: Promise<unknown>) => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(TargetCallError);
    return (err as TargetCallError).failure;
  };

  it('classifies 2xx, 429 with Retry-After, 5xx and 4xx, counts each call, and opens its breaker after repeated 5xx', async () => {
    const { url, seen } = await serve([
      { status: 202, body: { status: 'success', dedup_key: 'INC-1' } },
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 429 },
      { status: 400, body: { status: 'invalid event', errors: ['routing_key is missing'] } },
      { status: 500 }, { status: 502 },
    ]);
    const metrics = new Metrics(false);
    const breakers = new CircuitBreakers({ failureThreshold: 2, openMs: 1000 });
    const client = new TargetHttpClient('pagerduty', breakers, metrics, () => T0);
    const req = { operation: 'enqueue', method: 'POST' as const, url, body: { a: 1 } };
    expect((await client.send(req)).body).toEqual({ status: 'success', dedup_key: 'INC-1' });
    expect(seen[0]).toEqual({ a: 1 });
    expect(await failureOf(client.send(req))).toEqual({ kind: 'rate_limited', retryAfterMs: 7000 });
    expect(await failureOf(client.send(req))).toEqual({ kind: 'rate_limited', retryAfterMs: 5000 });
    const bad = await failureOf(client.send(req));
    expect(bad.kind).toBe('permanent');
    expect(bad.kind === 'permanent' && bad.code).toContain('routing_key is missing');
    expect(await failureOf(client.send(req))).toEqual({ kind: 'transient', detail: 'http_500' });
    expect(await failureOf(client.send(req))).toEqual({ kind: 'transient', detail: 'http_502' });
    expect(breakers.state('enqueue')).toBe('open');
    expect(await failureOf(client.send(req))).toEqual({ kind: 'circuit_open', retryInMs: 1000 });
    expect(seen).toHaveLength(6); // the open circuit sent nothing
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/incident_bot_target_calls_total\{target="pagerduty",operation="enqueue",outcome="429"\} 2/);
    expect(text).toMatch(/incident_bot_target_calls_total\{target="pagerduty",operation="enqueue",outcome="circuit_open"\} 1/);
  });

  it('an unreachable target is a transient failure', async () => {
    const client = new TargetHttpClient('github', new CircuitBreakers(), new Metrics(false), () => T0, 500);
    expect((await failureOf(client.send({ operation: 'x', method: 'GET', url: 'http://127.0.0.1:1/' }))).kind).toBe('transient');
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs('3', T0)).toBe(3000);
    expect(retryAfterMs(new Date(T0 + 10_000).toUTCString(), T0)).toBe(10_000);
    expect(retryAfterMs(null, T0)).toBeNull();
    expect(retryAfterMs('soon', T0)).toBeNull();
  });
});
