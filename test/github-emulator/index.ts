/**
 * GitHub REST emulator for the issue endpoints the bot uses, checked against GitHub's REST reference: create
 * (`POST /repos/{owner}/{repo}/issues`, 201), update (`PATCH …/issues/{number}`), list (`GET …/issues?labels=&state=`),
 * get, and `GET /search/issues`. Auth is `Authorization: Bearer|token <token>` (401 `Bad credentials`), a User-Agent is
 * required (403), a missing title is 422 `Validation Failed`. It also builds signed `issues` webhooks as GitHub sends them.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { RestEmulator, route, type RestAnswer, type Route } from '../rest-emulator/index.js';

/** An issue in the emulated repository. */
export interface GhIssue {
  id: number; node_id: string; number: number; title: string; body: string | null; state: 'open' | 'closed'; state_reason: string | null;
  html_url: string; url: string; labels: { id: number; name: string; color: string }[]; user: { login: string; id: number };
  created_at: string; updated_at: string; closed_at: string | null; comments: number;
}

const DOCS = 'https://docs.github.com/rest';

/** The GitHub emulator. */
export class GitHubEmulator extends RestEmulator {
  readonly issues: GhIssue[] = [];

  constructor(readonly token = 'github_pat_test_token', readonly repository = 'acme/shop') {
    super();
  }

  protected authorize(req: http.IncomingMessage): RestAnswer | null {
    if (!req.headers['user-agent']) return { status: 403, body: { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).' } };
    const token = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token !== this.token) return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' } };
    return null;
  }

  protected routes(): Route[] {
    const repo = '/repos/:owner/:repo';
    return [
      route('POST', `${repo}/issues`, ({ params, body }) => this.repo(params) ?? this.create(body)),
      route('GET', `${repo}/issues`, ({ params, query }) => this.repo(params) ?? this.list(query)),
      route('GET', `${repo}/issues/:number`, ({ params }) => this.repo(params) ?? this.withIssue(params.number!, (i) => ({ status: 200, body: i }))),
      route('PATCH', `${repo}/issues/:number`, ({ params, body }) => this.repo(params) ?? this.withIssue(params.number!, (i) => this.update(i, body))),
      route('GET', '/search/issues', ({ query }) => this.search(query)),
    ];
  }

  /** Closes or reopens an issue as a person would on github.com, and returns the signed `issues` webhook GitHub would send. */
  act(number: number, action: 'closed' | 'reopened', secret: string, sender = 'octocat'): { headers: Record<string, string>; body: string } {
    const issue = this.issues.find((i) => i.number === number);
    if (!issue) throw new Error(`no issue #${number}`);
    const now = new Date().toISOString();
    issue.state = action === 'closed' ? 'closed' : 'open';
    issue.state_reason = action === 'closed' ? 'completed' : 'reopened';
    issue.closed_at = action === 'closed' ? now : null;
    issue.updated_at = now;
    return this.webhook('issues', { action, issue, repository: this.repositoryPayload(), sender: { login: sender, id: 583231, type: 'User' } }, secret);
  }

  /** A webhook delivery as GitHub sends it: JSON body, `X-GitHub-Event`, a fresh `X-GitHub-Delivery`, `X-Hub-Signature-256`. */
  webhook(event: string, payload: unknown, secret: string, delivery: string = randomUUID()): { headers: Record<string, string>; body: string } {
    const body = JSON.stringify(payload);
    return {
      body,
      headers: {
        'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/044aadd', 'x-github-event': event, 'x-github-delivery': delivery,
        'x-github-hook-id': '292430182', 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
    };
  }

  private repositoryPayload() {
    const [owner, name] = this.repository.split('/');
    return { id: 1296269, name, full_name: this.repository, private: false, owner: { login: owner }, html_url: `https://github.com/${this.repository}` };
  }

  private repo(params: Record<string, string>): RestAnswer | null {
    return `${params.owner}/${params.repo}`.toLowerCase() === this.repository.toLowerCase() ? null : { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
  }

  private withIssue(n: string, fn: (i: GhIssue) => RestAnswer): RestAnswer {
    const issue = this.issues.find((i) => String(i.number) === n);
    return issue ? fn(issue) : { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
  }

  private invalid(field: string, code = 'invalid'): RestAnswer {
    return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Issue', code, field }], documentation_url: DOCS, status: '422' } };
  }

  private labelsOf(raw: unknown): GhIssue['labels'] | null {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) return null;
    const names = raw.map((l) => (typeof l === 'string' ? l : typeof l === 'object' && l !== null ? (l as { name?: unknown }).name : undefined));
    if (names.some((n) => typeof n !== 'string' || n === '')) return null;
    return (names as string[]).map((name) => ({ id: [...name].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) >>> 0, name, color: 'ededed' }));
  }

  private create(body: unknown): RestAnswer {
    const p = (body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null) return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } };
    if (p.title === undefined || p.title === null || p.title === '') return this.invalid('title', 'missing_field');
    if (typeof p.title !== 'string' && typeof p.title !== 'number') return this.invalid('title');
    if (p.body !== undefined && p.body !== null && typeof p.body !== 'string') return this.invalid('body');
    const labels = this.labelsOf(p.labels);
    if (!labels) return this.invalid('labels');
    const number = this.issues.length + 1;
    const now = new Date().toISOString();
    const issue: GhIssue = {
      id: 1_000_000 + number, node_id: `I_kwDO${number}`, number, title: String(p.title), body: (p.body as string | null | undefined) ?? null, state: 'open', state_reason: null,
      html_url: `https://github.com/${this.repository}/issues/${number}`, url: `https://api.github.com/repos/${this.repository}/issues/${number}`,
      labels, user: { login: 'incident-bot', id: 42 }, created_at: now, updated_at: now, closed_at: null, comments: 0,
    };
    this.issues.push(issue);
    return { status: 201, body: issue, headers: { location: issue.url } };
  }

  private update(issue: GhIssue, body: unknown): RestAnswer {
    if (typeof body !== 'object' || body === null) return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } };
    const p = body as Record<string, unknown>;
    if (p.state !== undefined && p.state !== 'open' && p.state !== 'closed') return this.invalid('state');
    if (p.state_reason !== undefined && p.state_reason !== null && !['completed', 'not_planned', 'reopened', 'duplicate'].includes(p.state_reason as string)) return this.invalid('state_reason');
    if (p.title !== undefined && (typeof p.title !== 'string' || p.title === '')) return this.invalid('title');
    const labels = p.labels === undefined ? undefined : this.labelsOf(p.labels);
    if (labels === null) return this.invalid('labels');
    const now = new Date().toISOString();
    if (typeof p.title === 'string') issue.title = p.title;
    if (typeof p.body === 'string' || p.body === null) issue.body = p.body as string | null;
    if (labels) issue.labels = labels;
    if (p.state === 'closed' && issue.state !== 'closed') { issue.state = 'closed'; issue.closed_at = now; issue.state_reason = (p.state_reason as string | undefined) ?? 'completed'; }
    if (p.state === 'open' && issue.state !== 'open') { issue.state = 'open'; issue.closed_at = null; issue.state_reason = 'reopened'; }
    issue.updated_at = now;
    return { status: 200, body: issue };
  }

  private list(query: URLSearchParams): RestAnswer {
    const state = query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) return this.invalid('state');
    const labels = (query.get('labels') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const perPage = Math.min(100, Number(query.get('per_page') ?? 30) || 30);
    const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
    let items = this.issues.filter((i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.some((x) => x.name === l)));
    if ((query.get('direction') ?? 'desc') === 'desc') items = items.slice().reverse();
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage) };
  }

  private search(query: URLSearchParams): RestAnswer {
    const q = query.get('q');
    if (!q) return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Search', field: 'q', code: 'missing' }], documentation_url: DOCS } };
    const phrases = [...q.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    const repo = /\brepo:(\S+)/.exec(q)?.[1];
    const label = /\blabel:("[^"]+"|\S+)/.exec(q)?.[1]?.replace(/"/g, '');
    const items = this.issues.filter((i) => (!repo || repo.toLowerCase() === this.repository.toLowerCase())
      && (!label || i.labels.some((l) => l.name === label))
      && phrases.every((p) => `${i.title}\n${i.body ?? ''}`.includes(p)));
    return { status: 200, body: { total_count: items.length, incomplete_results: false, items } };
  }
}
