/** Atlassian Statuspage REST API v1, the incident endpoints only: `Authorization: OAuth <key>`, bodies wrapped in `{ incident: … }`. */
import type { PublicStatus } from '../../domain/statuspage.js';
import { TargetCallError } from '../../outbox/failure.js';
import { retryAfterMs, type TargetHttpClient } from '../../outbox/http-target.js';

/** A page incident as the API returns it (the fields the bot reads). */
export interface StatuspageIncident {
  id: string;
  name: string;
  status: string;
  shortlink?: string | null;
  metadata?: unknown;
  incident_updates?: { status: string; body: string }[];
}

/** Where and as whom: STATUSPAGE_API_URL, STATUSPAGE_API_KEY, STATUSPAGE_PAGE_ID. */
export interface StatuspageSettings { apiUrl: string; apiKey: string; pageId: string }

/** Calls for one page. */
export class StatuspageClient {
  private readonly pageId: string;

  constructor(private readonly http: TargetHttpClient, private readonly settings: StatuspageSettings) {
    this.pageId = settings.pageId;
  }

  /** One call; Statuspage's 420 is a rate limit like 429 (it may send no Retry-After, then we wait 5 s). */
  private async request<T>(operation: string, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const res = await this.http.send({
      operation, method, url: new URL(path, this.settings.apiUrl).toString(), body, accept: [420],
      headers: { authorization: `OAuth ${this.settings.apiKey}`, 'user-agent': 'incident-bot' },
    });
    if (res.status === 420) {
      throw new TargetCallError('statuspage', operation, { kind: 'rate_limited', retryAfterMs: retryAfterMs(res.headers.get('retry-after'), Date.now()) ?? 5000 });
    }
    return res.body as T;
  }

  private get base(): string {
    return `pages/${encodeURIComponent(this.pageId)}/incidents`;
  }

  /** Creates a realtime incident; its first update carries `body`. */
  create(incident: { name: string; status: PublicStatus; body: string; metadata: Record<string, unknown> }): Promise<StatuspageIncident> {
    return this.request('incidents.create', 'POST', this.base, { incident: { ...incident, deliver_notifications: true } });
  }

  /** Adds an update (status and message) to an incident; `resolved` resolves it. */
  update(id: string, incident: { status: PublicStatus; body: string }): Promise<StatuspageIncident> {
    return this.request('incidents.update', 'PATCH', `${this.base}/${encodeURIComponent(id)}`, { incident: { ...incident, deliver_notifications: true } });
  }

  /** One incident with its updates (newest first). */
  get(id: string): Promise<StatuspageIncident> {
    return this.request('incidents.get', 'GET', `${this.base}/${encodeURIComponent(id)}`);
  }

  /** Incidents whose name contains `q` (resolved ones too), newest first. */
  search(q: string): Promise<StatuspageIncident[]> {
    return this.request('incidents.list', 'GET', `${this.base}?q=${encodeURIComponent(q)}&limit=100`);
  }

  /** Incidents not yet resolved. */
  unresolved(): Promise<StatuspageIncident[]> {
    return this.request('incidents.unresolved', 'GET', `${this.base}/unresolved`);
  }
}
