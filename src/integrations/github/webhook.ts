/** `POST /hooks/github`: `issues` webhooks, verified with X-Hub-Signature-256, idempotent on X-GitHub-Delivery. A route of the hook router (size limit, 404/405, JSON parsing live there). */
import { createHmac } from 'node:crypto';
import type http from 'node:http';
import type { Deps } from '../../app/context.js';
import { applyIssueEvent } from '../../app/follow-ups.js';
import { parseIssuesEvent } from '../../domain/follow-up.js';
import type { Logger } from '../../observability/logger.js';
import { safeEqual } from '../hook-auth.js';
import type { HookRoute } from '../hook-router.js';

/** Whether `signature` is `sha256=<hex HMAC of body>` under `secret`, compared in constant time. */
export function validSignature(secret: string, body: Buffer, signature: string | undefined): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  // Compare anyway when the header is missing, so the answer takes the same time.
  return safeEqual(signature ?? '', expected) && !!signature;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The route; disabled (404) while no webhook secret is configured. */
export function githubHookRoute(o: { secret: string | null; repository: string | null; deps: Deps; logger: Logger }): HookRoute {
  return {
    enabled: o.secret !== null,
    authenticate: (req, raw) => (validSignature(o.secret ?? '', raw, header(req, 'x-hub-signature-256')) ? null : 'missing or wrong X-Hub-Signature-256'),
    async handle(payload, req) {
      const event = header(req, 'x-github-event');
      const delivery = header(req, 'x-github-delivery');
      if (event === 'ping') return { status: 200, body: { ok: true } };
      if (!delivery) return { status: 400, body: { error: 'missing X-GitHub-Delivery header' } };
      if (event !== 'issues') return { status: 200, body: { ignored: `event ${event ?? '(none)'}` } };
      const parsed = parseIssuesEvent(payload);
      if ('error' in parsed) return { status: 400, body: { error: `malformed issues webhook: ${parsed.error}` } };
      if ('ignored' in parsed) return { status: 200, body: parsed };
      const url = (payload as { issue?: { html_url?: unknown } }).issue?.html_url;
      const outcome = await applyIssueEvent(o.deps, { ...parsed, url: typeof url === 'string' ? url : '' }, delivery, o.repository ?? parsed.repository);
      o.logger.info({ delivery, issue: parsed.number, action: parsed.action, outcome }, 'github hook: issues event handled');
      return { status: 200, body: outcome };
    },
  };
}
