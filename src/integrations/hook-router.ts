/** The /hooks/* routes (Alertmanager, Grafana, PagerDuty, GitHub via `extra`), one function the HTTP front door calls in both modes: size limit, auth before parsing, zod validation, 2xx only after commit. */
import type http from 'node:http';
import type { z } from 'zod';
import type { Deps } from '../app/context.js';
import { type HookOutcome, ingestAlertGroup, ingestPagerDuty } from '../app/ingest-alerts.js';
import type { AlertSettings } from '../config.js';
import { alertGroupIntent, alertmanagerPayload, describeIssues, grafanaPayload, pagerDutyIntent, pagerDutyWebhook } from '../domain/alerts.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { bearerOk, pagerDutySignatureOk } from './hook-auth.js';

/** Largest hook body accepted (1 MiB); larger gets 413. */
export const HOOK_BODY_LIMIT = 1024 * 1024;

/** Handles a request when its path is under /hooks/ (returns true); leaves anything else to the caller (false). */
export type HookRouter = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

/** What the router needs. */
export interface HookDeps {
  deps: Deps;
  settings: AlertSettings;
  logger: Logger;
  /** Counts answers per hook and status (`incident_bot_hook_requests_total`). */
  metrics?: Metrics;
  /** Lets other helpers add routes (e.g. /hooks/github) without touching this file's table. */
  extra?: Record<string, HookRoute>;
}

/** One hook route: enabled or not, how it authenticates, and what it does with a verified body. */
export interface HookRoute {
  enabled: boolean;
  /** Verifies the request before the body is parsed; a refusal message means 401. */
  authenticate(req: http.IncomingMessage, raw: Buffer): string | null;
  /** Acts on a verified, parsed body; `req` gives the headers (e.g. GitHub's X-GitHub-Event and X-GitHub-Delivery). */
  handle(body: unknown, req: http.IncomingMessage): Promise<{ status: number; body: unknown }>;
}

class BadRequest extends Error {}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new BadRequest(describeIssues(r.error));
  return r.data;
}

/** `{"incident":"INC-n","declared":…}` for the (first) incident touched, with every one under `incidents`. */
function reply(outcomes: HookOutcome[]): { status: number; body: unknown } {
  const first = outcomes[0] ?? { incident: null, declared: false };
  return { status: 200, body: { ...first, incidents: outcomes } };
}

/** Builds the router over the configured hooks. */
export function createHookRouter(h: HookDeps): HookRouter {
  const { settings, deps } = h;
  const bearer = (req: http.IncomingMessage) => (bearerOk(header(req, 'authorization'), settings.webhookToken ?? '') ? null : 'missing or wrong bearer token (Authorization: Bearer <ALERT_WEBHOOK_TOKEN>)');
  const routes: Record<string, HookRoute> = {
    '/hooks/alertmanager': {
      enabled: settings.webhookToken !== null,
      authenticate: bearer,
      handle: async (body) => reply(await ingestAlertGroup(deps, alertGroupIntent('alertmanager', parse(alertmanagerPayload, body), settings.severityMap))),
    },
    '/hooks/grafana': {
      enabled: settings.webhookToken !== null,
      authenticate: bearer,
      handle: async (body) => reply(await ingestAlertGroup(deps, alertGroupIntent('grafana', parse(grafanaPayload, body), settings.severityMap))),
    },
    '/hooks/pagerduty': {
      enabled: settings.pagerDutyWebhookSecret !== null,
      authenticate: (req, raw) => (pagerDutySignatureOk(header(req, 'x-pagerduty-signature'), settings.pagerDutyWebhookSecret ?? '', raw) ? null : 'missing or wrong X-PagerDuty-Signature'),
      handle: async (body) => reply(await ingestPagerDuty(deps, pagerDutyIntent(parse(pagerDutyWebhook, body)))),
    },
    ...h.extra,
  };

  return (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path !== '/hooks' && !path.startsWith('/hooks/')) return false;
    const known = Object.hasOwn(routes, path) ? path.slice('/hooks/'.length) : 'unknown';
    res.once('finish', () => h.metrics?.hookRequests.inc({ hook: known, status: String(res.statusCode) }));
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!route?.enabled) { drain(req); send(res, 404, { error: 'not found' }); return true; }
    if (req.method !== 'POST') { drain(req); send(res, 405, { error: 'use POST' }, { allow: 'POST' }); return true; }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > HOOK_BODY_LIMIT) { refuseLarge(req, res); return true; }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > HOOK_BODY_LIMIT) { done = true; refuseLarge(req, res); return; }
      chunks.push(c);
    });
    req.on('error', () => { done = true; res.destroy(); });
    req.on('end', () => {
      if (done) return;
      done = true;
      const raw = Buffer.concat(chunks);
      void handleBody(route, path, req, res, raw);
    });
    return true;
  };

  async function handleBody(route: HookRoute, path: string, req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> {
    const log = h.logger.child({ hook: path });
    try {
      const refusal = route.authenticate(req, raw);
      if (refusal) {
        log.warn({ reason: refusal }, 'hook: refused an unauthenticated request');
        send(res, 401, { error: refusal }, path === '/hooks/alertmanager' || path === '/hooks/grafana' ? { 'www-authenticate': 'Bearer' } : {});
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        send(res, 400, { error: `body is not JSON: ${(err as Error).message}`.slice(0, 300) });
        return;
      }
      const answer = await route.handle(body, req);
      log.info({ answer: answer.body }, 'hook: handled');
      send(res, answer.status, answer.body);
    } catch (err) {
      if (err instanceof BadRequest) {
        log.warn({ reason: err.message }, 'hook: malformed payload');
        send(res, 400, { error: `malformed payload: ${err.message}` });
        return;
      }
      // Nothing was committed (the use case is one transaction): 500 makes the sender deliver again.
      log.error({ err }, 'hook: failed; the sender will retry');
      send(res, 500, { error: 'internal error; retry later' });
    }
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function refuseLarge(req: http.IncomingMessage, res: http.ServerResponse): void {
  // Answer, then stop reading: the connection closes rather than swallowing an endless body.
  send(res, 413, { error: `body larger than ${HOOK_BODY_LIMIT} bytes` }, { connection: 'close' });
  req.unpipe();
  req.resume();
  setTimeout(() => req.destroy(), 1000).unref();
}

function drain(req: http.IncomingMessage): void {
  req.resume();
}
