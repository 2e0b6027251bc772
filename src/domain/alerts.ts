/** Alerts in: Alertmanager (webhook v4), Grafana alerting and PagerDuty V3 payloads validated and mapped to what the bot should do. Pure. */
import { z } from 'zod';
import { SEVERITIES, type Severity } from './incident.js';

// Bounds: alert text is user input; a field longer than these is refused with a reason rather than stored.
const LABEL_KEY = 200;
const LABEL_VALUE = 2_000;
const ANNOTATION = 8_000;
const URL_MAX = 2_000;
const MAX_ALERTS = 500;
const MAX_PAIRS = 100;

const str = (max: number) => z.string().max(max, `longer than ${max} characters`);
const kv = (valueMax: number) => z.record(str(LABEL_KEY), str(valueMax))
  .refine((r) => Object.keys(r).length <= MAX_PAIRS, `more than ${MAX_PAIRS} entries`);
const status = z.enum(['firing', 'resolved'], { error: 'must be "firing" or "resolved"' });
const time = str(64).refine((s) => !Number.isNaN(Date.parse(s)), 'not an RFC 3339 time');

const alertmanagerAlert = z.object({
  status,
  labels: kv(LABEL_VALUE),
  annotations: kv(ANNOTATION).default({}),
  startsAt: time,
  endsAt: time.optional(),
  generatorURL: str(URL_MAX).optional().default(''),
  fingerprint: z.string().min(1, 'must not be empty').max(200, 'longer than 200 characters'),
});

/** Prometheus Alertmanager webhook payload, version 4 (notify/webhook Message). */
export const alertmanagerPayload = z.object({
  version: z.literal('4', { error: 'must be "4" (Alertmanager webhook version 4)' }),
  groupKey: z.string().min(1, 'must not be empty').max(LABEL_VALUE, `longer than ${LABEL_VALUE} characters`),
  truncatedAlerts: z.number().int().min(0).optional().default(0),
  status,
  receiver: str(LABEL_VALUE),
  groupLabels: kv(LABEL_VALUE),
  commonLabels: kv(LABEL_VALUE),
  commonAnnotations: kv(ANNOTATION),
  externalURL: str(URL_MAX),
  alerts: z.array(alertmanagerAlert).min(1, 'must hold at least one alert').max(MAX_ALERTS, `more than ${MAX_ALERTS} alerts`),
});

/** Grafana alerting webhook payload: the Alertmanager shape plus orgId, state, title, message and per-alert links and values. */
export const grafanaPayload = alertmanagerPayload.extend({
  version: z.string().max(20),
  orgId: z.number().int(),
  state: str(50),
  title: str(LABEL_VALUE).optional().default(''),
  message: str(ANNOTATION).optional().default(''),
  alerts: z.array(alertmanagerAlert.extend({
    dashboardURL: str(URL_MAX).optional().default(''),
    panelURL: str(URL_MAX).optional().default(''),
    silenceURL: str(URL_MAX).optional().default(''),
    values: z.record(str(LABEL_KEY), z.number().nullable()).nullable().optional(),
    valueString: str(ANNOTATION).optional(),
  })).min(1, 'must hold at least one alert').max(MAX_ALERTS, `more than ${MAX_ALERTS} alerts`),
});

/** Where alerts come from. */
export type AlertSource = 'alertmanager' | 'grafana' | 'pagerduty';

/** One alert as the bot keeps it. */
export interface AlertIntent {
  fingerprint: string;
  status: 'firing' | 'resolved';
  /** Identifies this firing of the alert (its start time): a re-fire after resolution has a new one. */
  startsAt: number;
  name: string;
  severity: Severity;
  summary: string;
  description: string;
  services: string[];
  links: { label: string; url: string }[];
}

/** A delivered alert group, mapped. */
export interface AlertGroupIntent {
  source: AlertSource;
  groupKey: string;
  alerts: AlertIntent[];
}

/** Severity label value (lowercase) → our severity; unknown or missing gives SEV3. A Map: label values such as `constructor` must not hit a prototype. */
export type SeverityMap = ReadonlyMap<string, Severity>;

/** `ALERT_SEVERITY`'s default. */
export const DEFAULT_ALERT_SEVERITY = 'critical=SEV1,page=SEV1,error=SEV2,warning=SEV3,info=SEV4';

/** Parses `critical=SEV1,warning=SEV3,…` (label values case-insensitive). */
export function parseSeverityMap(text: string): { map: SeverityMap } | { error: string } {
  const map = new Map<string, Severity>();
  const problems: string[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const [k, v, ...rest] = item.split('=').map((s) => s.trim());
    const sev = v?.toUpperCase();
    if (!k || !sev || rest.length || !(SEVERITIES as readonly string[]).includes(sev)) { problems.push(`"${item}" is not LABEL=SEV1..SEV4`); continue; }
    map.set(k.toLowerCase(), sev as Severity);
  }
  if (problems.length) return { error: `${problems.join('; ')} (expected e.g. ${DEFAULT_ALERT_SEVERITY})` };
  return { map };
}

/** Parses `PAGE_SEVERITIES`: `SEV1,SEV2` or `off`. */
export function parsePageSeverities(text: string): Severity[] | { error: string } {
  if (text.trim().toLowerCase() === 'off') return [];
  const out: Severity[] = [];
  for (const raw of text.split(',')) {
    const s = raw.trim().toUpperCase();
    if (!s) continue;
    if (!(SEVERITIES as readonly string[]).includes(s)) return { error: `"${raw.trim()}" is not a severity (expected e.g. SEV1,SEV2, or off)` };
    if (!out.includes(s as Severity)) out.push(s as Severity);
  }
  if (out.length === 0) return { error: 'is empty (expected e.g. SEV1,SEV2, or off)' };
  return out;
}

/** Highest (worst) of some severities; SEV3 when none. */
export function worstSeverity(severities: Severity[]): Severity {
  return severities.reduce<Severity>((w, s) => (SEVERITIES.indexOf(s) < SEVERITIES.indexOf(w) ? s : w), severities.length ? 'SEV4' : 'SEV3');
}

const parseTime = (s: string) => Date.parse(s);

/** Maps a validated Alertmanager or Grafana payload to the alerts it carries. */
export function alertGroupIntent(source: 'alertmanager' | 'grafana', payload: z.infer<typeof alertmanagerPayload> | z.infer<typeof grafanaPayload>, severities: SeverityMap): AlertGroupIntent {
  const alerts = payload.alerts.map((a): AlertIntent => {
    const labels = a.labels;
    const ann = a.annotations;
    const name = labels.alertname || ann.summary || 'alert';
    const links: { label: string; url: string }[] = [];
    const add = (label: string, url: string | undefined) => { if (url && /^https?:\/\//i.test(url)) links.push({ label, url }); };
    add('source', a.generatorURL);
    if ('dashboardURL' in a) {
      add('dashboard', a.dashboardURL);
      add('panel', a.panelURL);
      add('silence', a.silenceURL);
    }
    const service = labels.service || labels.job;
    return {
      fingerprint: a.fingerprint,
      status: a.status,
      startsAt: parseTime(a.startsAt),
      name: defuse(name),
      severity: severities.get((labels.severity ?? '').trim().toLowerCase()) ?? 'SEV3',
      summary: defuse(ann.summary || name),
      description: defuse(ann.description ?? ''),
      services: service ? [service] : [],
      links,
    };
  });
  return { source, groupKey: payload.groupKey, alerts };
}

/** What a firing group declares: title from the first alert's summary (else alertname), the worst severity, descriptions, services. */
export function declarationOf(alerts: AlertIntent[]): { title: string; severity: Severity; summary: string; services: string[] } {
  const first = alerts[0]!;
  const services = [...new Set(alerts.flatMap((a) => a.services))].slice(0, 20);
  const summary = [...new Set(alerts.map((a) => a.description).filter(Boolean))].join('\n\n');
  return { title: oneLine(first.summary).slice(0, 150) || 'Alert', severity: worstSeverity(alerts.map((a) => a.severity)), summary: summary.slice(0, 3000), services };
}

/** The timeline line for an alert. */
export function alertLine(a: AlertIntent, verb: string): string {
  const links = a.links.map((l) => `${l.label}: ${l.url}`).join(' · ');
  return `Alert ${verb}: ${oneLine(a.name)}${a.summary !== a.name ? ` (${oneLine(a.summary)})` : ''} [${a.severity}]${links ? ` ${links}` : ''}`.slice(0, 3000);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Breaks `@channel`, `@here`, `@everyone` and `<!…>` mass mentions in alert text: it is user input and must never ping anyone. */
export function defuse(s: string): string {
  return s.replace(/<!/g, '<\u200b!').replace(/@(channel|here|everyone)\b/gi, '@\u200b$1');
}

// ---- PagerDuty V3 webhooks ----

const ref = z.object({ id: str(200).optional(), summary: str(1000).optional(), html_url: str(URL_MAX).optional() }).passthrough();

/** A PagerDuty V3 webhook (only the fields the bot reads are checked; the rest passes). */
export const pagerDutyWebhook = z.object({
  event: z.object({
    id: z.string().min(1, 'must not be empty').max(200),
    event_type: str(100),
    resource_type: str(100),
    occurred_at: time,
    data: z.object({
      id: z.string().min(1).max(200),
      type: str(100).optional(),
      html_url: str(URL_MAX).optional(),
      number: z.number().int().optional(),
      status: str(50).optional(),
      title: str(LABEL_VALUE).optional(),
      urgency: z.enum(['high', 'low']).optional(),
      priority: ref.nullable().optional(),
      service: ref.nullable().optional(),
    }).passthrough(),
  }).passthrough(),
});

/** What a PagerDuty webhook asks of the bot. */
export type PagerDutyIntent =
  | { kind: 'triggered'; eventId: string; pdIncidentId: string; title: string; severity: Severity; url: string | null; services: string[]; number: number | null }
  | { kind: 'resolved'; eventId: string; pdIncidentId: string; title: string; url: string | null }
  | { kind: 'ignored'; eventId: string; eventType: string };

/** Priority `P1` → SEV1, `P2` → SEV2, else high urgency → SEV2, low → SEV3. */
export function pagerDutySeverity(priority: string | null | undefined, urgency: string | null | undefined): Severity {
  const p = priority?.trim().toUpperCase();
  if (p === 'P1') return 'SEV1';
  if (p === 'P2') return 'SEV2';
  return urgency === 'high' ? 'SEV2' : 'SEV3';
}

/** Maps a validated PagerDuty webhook. */
export function pagerDutyIntent(w: z.infer<typeof pagerDutyWebhook>): PagerDutyIntent {
  const e = w.event;
  const d = e.data;
  const title = defuse(oneLine(d.title ?? `PagerDuty incident ${d.number ?? d.id}`)).slice(0, 150);
  const url = d.html_url && /^https?:\/\//i.test(d.html_url) ? d.html_url : null;
  if (e.event_type === 'incident.triggered') {
    const service = d.service?.summary ? [oneLine(d.service.summary).slice(0, 100)] : [];
    return { kind: 'triggered', eventId: e.id, pdIncidentId: d.id, title, severity: pagerDutySeverity(d.priority?.summary, d.urgency), url, services: service, number: d.number ?? null };
  }
  if (e.event_type === 'incident.resolved') return { kind: 'resolved', eventId: e.id, pdIncidentId: d.id, title, url };
  return { kind: 'ignored', eventId: e.id, eventType: e.event_type };
}

/** Events API v2 severity for ours. */
export const PAGE_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = { SEV1: 'critical', SEV2: 'error', SEV3: 'warning', SEV4: 'info' };

/** Readable first problem of a zod error: `alerts.0.fingerprint: must not be empty`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}
