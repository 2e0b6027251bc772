/** Senders of Alertmanager, Grafana and PagerDuty V3 webhooks, built from fixtures shaped exactly like the real payloads (test/fixtures/hooks), signed where the real ones are. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures', 'hooks');
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, any>;

/** One alert's changes to the fixture's first alert. */
export interface AlertChange {
  fingerprint?: string;
  status?: 'firing' | 'resolved';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
}

/** An Alertmanager webhook v4 body: the fixture with its alerts replaced by variations of its first. */
export function alertmanagerBody(alerts: AlertChange[] = [{}], group: { groupKey?: string; status?: 'firing' | 'resolved' } = {}): Record<string, any> {
  return withAlerts(load('alertmanager-firing.json'), alerts, group);
}

/** A Grafana alerting webhook body (same shape plus orgId, state, title, message and per-alert links and values). */
export function grafanaBody(alerts: AlertChange[] = [{}], group: { groupKey?: string; status?: 'firing' | 'resolved' } = {}): Record<string, any> {
  const body = withAlerts(load('grafana-firing.json'), alerts, group);
  body.state = body.status === 'firing' ? 'alerting' : 'ok';
  return body;
}

function withAlerts(base: Record<string, any>, alerts: AlertChange[], group: { groupKey?: string; status?: 'firing' | 'resolved' }): Record<string, any> {
  const template = base.alerts[0];
  base.alerts = alerts.map((c) => {
    const status = c.status ?? 'firing';
    return {
      ...template,
      status,
      labels: { ...template.labels, ...c.labels },
      annotations: { ...template.annotations, ...c.annotations },
      startsAt: c.startsAt ?? template.startsAt,
      // Alertmanager sends the zero time while an alert fires, and when it stopped once resolved.
      endsAt: status === 'resolved' ? '2026-12-01T15:20:00Z' : '0001-01-01T00:00:00Z',
      fingerprint: c.fingerprint ?? template.fingerprint,
    };
  });
  base.status = group.status ?? (base.alerts.some((a: { status: string }) => a.status === 'firing') ? 'firing' : 'resolved');
  if (group.groupKey) base.groupKey = group.groupKey;
  return base;
}

/** A PagerDuty V3 webhook body for an incident event. */
export function pagerDutyBody(change: { eventId?: string; eventType?: string; incidentId?: string; title?: string; priority?: string | null; urgency?: 'high' | 'low' } = {}): Record<string, any> {
  const body = load('pagerduty-incident-triggered.json');
  const e = body.event;
  if (change.eventId) e.id = change.eventId;
  if (change.eventType) {
    e.event_type = change.eventType;
    if (change.eventType === 'incident.resolved') e.data.status = 'resolved';
  }
  if (change.incidentId) {
    e.data.id = change.incidentId;
    e.data.self = `https://api.pagerduty.com/incidents/${change.incidentId}`;
    e.data.html_url = `https://acme.pagerduty.com/incidents/${change.incidentId}`;
  }
  if (change.title) e.data.title = change.title;
  if (change.priority === null) e.data.priority = null;
  else if (change.priority) e.data.priority.summary = change.priority;
  if (change.urgency) e.data.urgency = change.urgency;
  return body;
}

/** `v1=<hex HMAC-SHA256>` of the raw body, as PagerDuty signs. */
export function pagerDutySign(secret: string, raw: string | Buffer): string {
  return `v1=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** An answer from the bot. */
export interface HookAnswer {
  status: number;
  json: any;
}

/** Posts a raw body to a hook route. */
export async function postHook(url: string, route: string, raw: string | Buffer, headers: Record<string, string> = {}): Promise<HookAnswer> {
  const res = await fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.28.1', ...headers }, body: typeof raw === "string" ? raw : new Uint8Array(raw) });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.status, json };
}

/** Sends like Alertmanager (webhook_configs with http_config.authorization: Bearer). */
export function sendAlertmanager(url: string, token: string, body: unknown): Promise<HookAnswer> {
  return postHook(url, '/hooks/alertmanager', JSON.stringify(body), { authorization: `Bearer ${token}` });
}

/** Sends like Grafana's webhook contact point (Authorization header credentials). */
export function sendGrafana(url: string, token: string, body: unknown): Promise<HookAnswer> {
  return postHook(url, '/hooks/grafana', JSON.stringify(body), { authorization: `Bearer ${token}`, 'user-agent': 'Grafana' });
}

/** Sends like PagerDuty V3 webhooks: signed with each given secret (several during rotation). */
export function sendPagerDuty(url: string, secrets: string[], body: unknown): Promise<HookAnswer> {
  const raw = JSON.stringify(body);
  return postHook(url, '/hooks/pagerduty', raw, { 'x-pagerduty-signature': secrets.map((s) => pagerDutySign(s, raw)).join(','), 'x-webhook-id': 'e1b8d1a6-2f4c-4b0e-9d0c-5a7f3f1c2b9e', 'user-agent': 'PagerDuty-Webhook/V3.0' });
}
