/**
 * Atlassian Statuspage REST API v1 emulator (the incident endpoints the bot uses), checked against the published reference:
 * `Authorization: OAuth <key>` (or `?api_key=`), `POST /v1/pages/{page_id}/incidents` with `{ incident: { name, status, body, metadata } }`,
 * `PATCH /v1/pages/{page_id}/incidents/{incident_id}`, `GET …/incidents/unresolved`. Errors answer `{ "error": … }` (401, 404, 422);
 * rate limits answer 420 or 429 (inject them).
 */
import type http from 'node:http';
import { RestEmulator, route, type RestAnswer, type Route } from '../rest-emulator/index.js';

const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'scheduled', 'in_progress', 'verifying', 'completed'];
const UNRESOLVED = new Set(['investigating', 'identified', 'monitoring', 'scheduled', 'in_progress', 'verifying']);

/** One incident update (a published message). */
export interface SpUpdate { id: string; incident_id: string; status: string; body: string; created_at: string }

/** One incident on the emulated page. */
export interface SpIncident {
  id: string; name: string; status: string; impact: string; page_id: string; shortlink: string;
  created_at: string; updated_at: string; resolved_at: string | null; metadata: Record<string, unknown>;
  incident_updates: SpUpdate[];
}

/** The Statuspage emulator. */
export class StatuspageEmulator extends RestEmulator {
  readonly incidents: SpIncident[] = [];
  private seq = 0;

  constructor(readonly apiKey = 'sp-test-key', readonly pageId = 'pg0test0page') {
    super();
  }

  /** The base URL to set as STATUSPAGE_API_URL (`…/v1/`). */
  get apiUrl(): string {
    return `${this.url}v1/`;
  }

  protected authorize(req: http.IncomingMessage): RestAnswer | null {
    const auth = req.headers.authorization ?? '';
    const key = /^OAuth (.+)$/.exec(auth)?.[1] ?? new URL(req.url ?? '/', 'http://x').searchParams.get('api_key');
    if (key !== this.apiKey) return { status: 401, body: { error: 'Could not authenticate' } };
    return null;
  }

  protected routes(): Route[] {
    const base = '/v1/pages/:page/incidents';
    return [
      route('GET', `${base}/unresolved`, ({ params }) => this.page(params.page!) ?? { status: 200, body: this.incidents.filter((i) => UNRESOLVED.has(i.status)).slice().reverse() }),
      route('GET', base, ({ params, query }) => {
        const refused = this.page(params.page!);
        if (refused) return refused;
        const q = (query.get('q') ?? '').toLowerCase();
        return { status: 200, body: this.incidents.filter((i) => !q || i.name.toLowerCase().includes(q)).slice().reverse() };
      }),
      route('GET', `${base}/:id`, ({ params }) => this.page(params.page!) ?? this.withIncident(params.id!, (i) => ({ status: 200, body: i }))),
      route('POST', base, ({ params, body }) => this.page(params.page!) ?? this.create(body)),
      route('PATCH', `${base}/:id`, ({ params, body }) => this.page(params.page!) ?? this.withIncident(params.id!, (i) => this.update(i, body))),
      route('PUT', `${base}/:id`, ({ params, body }) => this.page(params.page!) ?? this.withIncident(params.id!, (i) => this.update(i, body))),
    ];
  }

  private page(id: string): RestAnswer | null {
    return id === this.pageId ? null : { status: 404, body: { error: 'Page not found' } };
  }

  private withIncident(id: string, fn: (i: SpIncident) => RestAnswer): RestAnswer {
    const incident = this.incidents.find((i) => i.id === id);
    return incident ? fn(incident) : { status: 404, body: { error: 'Incident not found' } };
  }

  private incidentParam(body: unknown): Record<string, unknown> | RestAnswer {
    const inc = (body as { incident?: unknown } | undefined)?.incident;
    if (typeof inc !== 'object' || inc === null || Array.isArray(inc)) return { status: 400, body: { error: "Parameter 'incident' is missing or not an object" } };
    return inc as Record<string, unknown>;
  }

  private create(body: unknown): RestAnswer {
    const inc = this.incidentParam(body);
    if ('status' in inc && typeof inc.status === 'number') return inc as RestAnswer;
    const p = inc as Record<string, unknown>;
    const errors: string[] = [];
    if (typeof p.name !== 'string' || p.name.trim() === '') errors.push("Name can't be blank");
    const status = p.status ?? 'investigating';
    if (typeof status !== 'string' || !STATUSES.includes(status)) errors.push('Status is not included in the list');
    if (p.body !== undefined && typeof p.body !== 'string') errors.push('Body must be a string');
    if (errors.length) return { status: 422, body: { error: errors } };
    const now = new Date().toISOString();
    const id = `sp${(++this.seq).toString(36).padStart(10, '0')}`;
    const incident: SpIncident = {
      id, name: p.name as string, status: status as string, impact: typeof p.impact_override === 'string' ? p.impact_override : 'none', page_id: this.pageId,
      shortlink: `https://stspg.io/${id.slice(-6)}`, created_at: now, updated_at: now, resolved_at: status === 'resolved' ? now : null,
      metadata: (typeof p.metadata === 'object' && p.metadata !== null ? p.metadata : {}) as Record<string, unknown>, incident_updates: [],
    };
    incident.incident_updates.unshift({ id: `${id}u${incident.incident_updates.length + 1}`, incident_id: id, status: incident.status, body: (p.body as string | undefined) ?? '', created_at: now });
    this.incidents.push(incident);
    return { status: 201, body: incident };
  }

  private update(incident: SpIncident, body: unknown): RestAnswer {
    const inc = this.incidentParam(body);
    if ('status' in inc && typeof inc.status === 'number') return inc as RestAnswer;
    const p = inc as Record<string, unknown>;
    if (p.status !== undefined && (typeof p.status !== 'string' || !STATUSES.includes(p.status))) return { status: 422, body: { error: ['Status is not included in the list'] } };
    if (p.name !== undefined && (typeof p.name !== 'string' || p.name.trim() === '')) return { status: 422, body: { error: ["Name can't be blank"] } };
    const now = new Date().toISOString();
    if (typeof p.name === 'string') incident.name = p.name;
    if (typeof p.status === 'string') incident.status = p.status;
    if (incident.status === 'resolved' && !incident.resolved_at) incident.resolved_at = now;
    if (typeof p.status === 'string' || typeof p.body === 'string') {
      incident.incident_updates.unshift({ id: `${incident.id}u${incident.incident_updates.length + 1}`, incident_id: incident.id, status: incident.status, body: (p.body as string | undefined) ?? '', created_at: now });
    }
    incident.updated_at = now;
    return { status: 200, body: incident };
  }
}
