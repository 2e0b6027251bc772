/** GitHub REST, the issue endpoints only: create, close/reopen, and the look-up that finds an issue by its body marker. */
import { TargetCallError } from '../../outbox/failure.js';
import { retryAfterMs, type TargetHttpClient } from '../../outbox/http-target.js';

/** An issue as the API returns it (the fields the bot reads). */
export interface GitHubIssue {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  body?: string | null;
}

/** Where and as whom: GITHUB_API_URL, GITHUB_TOKEN, GITHUB_REPOSITORY. */
export interface GitHubSettings { apiUrl: string; token: string; repository: string }

/** Calls for one repository (`owner/name`). */
export class GitHubClient {
  readonly repository: string;

  constructor(private readonly http: TargetHttpClient, private readonly settings: GitHubSettings) {
    this.repository = settings.repository;
  }

  /** One call; GitHub signals its primary and secondary rate limits with a 403 (or 429) and rate-limit headers. */
  private async request<T>(operation: string, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const res = await this.http.send({
      operation, method, url: new URL(path, this.settings.apiUrl).toString(), body, accept: [403],
      headers: { authorization: `Bearer ${this.settings.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'incident-bot' },
    });
    if (res.status === 403) {
      const h = res.headers;
      if (h.get('x-ratelimit-remaining') === '0' || h.has('retry-after')) {
        const reset = Number(h.get('x-ratelimit-reset'));
        const wait = retryAfterMs(h.get('retry-after'), Date.now()) ?? (Number.isFinite(reset) && reset > 0 ? Math.max(1000, reset * 1000 - Date.now()) : 60_000);
        throw new TargetCallError('github', operation, { kind: 'rate_limited', retryAfterMs: Math.min(wait, 3_600_000) });
      }
      throw new TargetCallError('github', operation, { kind: 'permanent', code: `http_403: ${JSON.stringify(res.body).slice(0, 200)}` });
    }
    return res.body as T;
  }

  private get base(): string {
    const [owner, name] = this.repository.split('/');
    return `repos/${encodeURIComponent(owner!)}/${encodeURIComponent(name!)}/issues`;
  }

  /** Opens an issue. */
  create(issue: { title: string; body: string; labels: string[] }): Promise<GitHubIssue> {
    return this.request('issues.create', 'POST', this.base, issue);
  }

  /** Closes (as completed) or reopens an issue. */
  setState(number: number, state: 'open' | 'closed'): Promise<GitHubIssue> {
    return this.request('issues.update', 'PATCH', `${this.base}/${number}`, state === 'closed' ? { state, state_reason: 'completed' } : { state });
  }

  /**
   * The issue whose body holds `marker`, among the newest issues with `label` (open or closed). Listing, not the
   * search API: search is eventually consistent, so an issue created a moment ago might not be found there yet.
   */
  async findByMarker(label: string, marker: string, pages = 3): Promise<GitHubIssue | null> {
    for (let page = 1; page <= pages; page++) {
      const list = await this.request<GitHubIssue[]>('issues.list', 'GET', `${this.base}?labels=${encodeURIComponent(label)}&state=all&sort=created&direction=desc&per_page=100&page=${page}`);
      const hit = list.find((i) => i.body?.includes(marker));
      if (hit) return hit;
      if (list.length < 100) return null;
    }
    return null;
  }
}
