/** Action items as GitHub issues end to end: created once with the owner's name, closed from Slack, kept in step by signed webhooks, never lost while GitHub is down. */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderDraft } from '../../src/app/postmortem.js';
import { GitHubEmulator } from '../github-emulator/index.js';
import { type Harness, startHarness } from './harness.js';
import { type Declared, declare, notices, textOf } from './incident-helpers.js';

const SECRET = 'gh-webhook-secret-for-tests';
const FAST = { worker: { backoffBaseMs: 40, backoffCapMs: 250, idlePollMs: 50 }, breaker: { failureThreshold: 50, openMs: 300 }, targetTimeoutMs: 800 };

describe('GitHub follow-ups', () => {
  let gh: GitHubEmulator;
  let h: Harness;
  beforeAll(async () => { gh = new GitHubEmulator(); await gh.start(); });
  afterAll(async () => { await gh.stop(); });
  beforeEach(async () => {
    gh.issues.length = 0;
    gh.calls.length = 0;
    gh.clearFaults();
    h = await startHarness({ GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: gh.repository, GITHUB_API_URL: gh.url, GITHUB_WEBHOOK_SECRET: SECRET }, { bot: FAST });
    h.emu.addUser('U0004', 'Ada Lovelace');
  });
  afterEach(async () => { await h.close(); });

  const linked = (actionItemSeq: number, inc: Declared) => h.emu.waitFor(async () => {
    const item = await h.bot.store.actions.get(inc.id, actionItemSeq);
    return item ? (await h.bot.store.issues.byAction(item.id)) ?? undefined : undefined;
  }, { message: `A-${actionItemSeq} never got its issue recorded` });
  const hook = (body: string, headers: Record<string, string>) => fetch(`${h.url}/hooks/github`, { method: 'POST', body, headers });
  const itemStatus = async (inc: Declared, seq: number) => (await h.bot.store.actions.get(inc.id, seq))!.status;

  it('creates one issue per action item with the owner by name; done in Slack closes it; the URL shows in actions and the postmortem', async () => {
    const inc = await declare(h, 'Disk filled up');
    const added = await h.driver.command('action Add disk usage alerting <@U0004> due:2031-05-01', { userId: 'U0001', channelId: inc.channel });
    expect(added.json.text).toMatch(/Added A-1/);
    const link = await linked(1, inc);
    expect(gh.issues).toHaveLength(1);
    const issue = gh.issues[0]!;
    expect(issue.title).toBe('Add disk usage alerting');
    expect(issue.body).toContain('Ada Lovelace');
    expect(issue.body).not.toContain('<@U0004>');
    expect(issue.body).toContain('2031-05-01');
    expect(issue.body).toContain(inc.ref);
    expect(issue.body).toContain(`https://slack.com/app_redirect?channel=${inc.channel}`);
    expect(issue.body).toContain(`<!-- incident-bot:follow-up ${inc.ref} A-1 -->`);
    expect(issue.labels.map((l) => l.name)).toEqual(['incident-followup']);
    expect(link).toMatchObject({ number: issue.number, url: issue.html_url, state: 'open' });
    const call = gh.callsTo('POST', /\/repos\/acme\/shop\/issues$/)[0]!;
    expect(call.headers.authorization).toBe(`Bearer ${gh.token}`);
    expect(call.headers['x-github-api-version']).toBe('2022-11-28');

    const list = await h.driver.command('actions', { userId: 'U0001', channelId: inc.channel });
    expect(textOf(list.json.blocks)).toContain(issue.html_url);

    await h.driver.command('action done A-1', { userId: 'U0001', channelId: inc.channel });
    await h.emu.waitFor(() => issue.state === 'closed' || undefined, { message: 'issue not closed after done in Slack' });
    expect(issue.state_reason).toBe('completed');
    expect(gh.issues).toHaveLength(1);

    const md = await renderDraft(h.bot.store, inc.id, Date.now());
    expect(md).toContain(issue.html_url);
    expect(h.emu.violations).toEqual([]);
  });

  it('signed webhooks reopen and close the item (once per delivery); a bad signature changes nothing', async () => {
    const inc = await declare(h, 'Cache stampede');
    await h.driver.command('action Add request coalescing', { userId: 'U0001', channelId: inc.channel });
    const { number } = await linked(1, inc);

    const closed = gh.act(number, 'closed', SECRET, 'octocat');
    const res = await hook(closed.body, closed.headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ incident: inc.ref, action: 'A-1', state: 'closed', changed: true });
    expect(await itemStatus(inc, 1)).toBe('done');
    await h.emu.waitFor(() => notices(h, inc).find((t) => t.includes('A-1') && t.includes('closed') && t.includes('octocat')), { message: 'close not said in the channel' });
    // GitHub redelivers: same delivery id, nothing new.
    const again = await hook(closed.body, closed.headers);
    expect(again.status).toBe(200);
    expect((await h.bot.store.timeline.list(inc.id)).filter((e) => e.kind === 'action_done')).toHaveLength(1);

    const reopened = gh.act(number, 'reopened', SECRET);
    expect((await hook(reopened.body, reopened.headers)).status).toBe(200);
    expect(await itemStatus(inc, 1)).toBe('open');
    await h.emu.waitFor(() => notices(h, inc).find((t) => t.includes('A-1') && t.includes('open again')), { message: 'reopen not said in the channel' });

    // A forged close: 401, and the item stays open.
    const forged = gh.act(number, 'closed', 'not-the-secret');
    const refused = await hook(forged.body, forged.headers);
    expect(refused.status).toBe(401);
    const unsigned = await hook(forged.body, { ...forged.headers, 'x-hub-signature-256': '' });
    expect(unsigned.status).toBe(401);
    expect(await itemStatus(inc, 1)).toBe('open');

    // Closing for real marks it done again.
    const closedAgain = gh.act(number, 'closed', SECRET);
    expect((await hook(closedAgain.body, closedAgain.headers)).status).toBe(200);
    expect(await itemStatus(inc, 1)).toBe('done');

    // Malformed and oversized bodies.
    const junk = gh.webhook('issues', { action: 'closed' }, SECRET);
    expect((await hook(junk.body, junk.headers)).status).toBe(400);
    const notJson = gh.webhook('issues', {}, SECRET);
    const badBody = '{not json';
    expect((await hook(badBody, { ...notJson.headers, 'x-hub-signature-256': sign(badBody) })).status).toBe(400);
    const big = 'x'.repeat(1024 * 1024 + 10);
    expect((await hook(big, { 'content-type': 'application/json', 'x-github-event': 'issues' })).status).toBe(413);
    const other = gh.webhook('issues', { action: 'labeled', issue: { number }, repository: { full_name: gh.repository } }, SECRET);
    expect(await (await hook(other.body, other.headers)).json()).toMatchObject({ ignored: 'action labeled' });
    expect(await itemStatus(inc, 1)).toBe('done');
  });

  it('a refusal for good (no such repository for this token) is said in the channel; the item stays', async () => {
    const inc = await declare(h, 'Token scoped wrong');
    gh.inject(/^POST /, { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } });
    await h.driver.command('action Rotate the credentials', { userId: 'U0001', channelId: inc.channel });
    const said = await h.emu.waitFor(() => notices(h, inc).find((t) => t.includes('GitHub refused')), { message: 'refusal not said' });
    expect(said).toContain('A-1');
    expect(said).toContain('GITHUB_TOKEN');
    expect(gh.issues).toHaveLength(0);
    expect(await itemStatus(inc, 1)).toBe('open');
  });

  it('GitHub down while an item is added: the item is kept and the issue appears once when GitHub answers again', async () => {
    const inc = await declare(h, 'Queue backlog');
    gh.inject(/^POST /, { status: 503 }, 3);
    gh.inject(/^GET /, { status: 502 }, 2);
    // The last failure is ambiguous: GitHub created the issue but the answer was lost.
    gh.inject(/^POST /, { status: 502, applied: true }, 1);
    const added = await h.driver.command('action Autoscale the consumers <@U0004>', { userId: 'U0001', channelId: inc.channel });
    expect(added.json.text).toMatch(/Added A-1/);
    expect(await h.bot.store.actions.get(inc.id, 1)).not.toBeNull();
    const link = await linked(1, inc);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.number).toBe(link.number);
    expect(gh.issues[0]!.body).toContain('Ada Lovelace');
    expect(gh.calls.filter((c) => c.method === 'POST' && c.status >= 500).length).toBeGreaterThanOrEqual(4);
  });

  function sign(body: string): string {
    return `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  }
});

describe('GitHub webhook without a secret', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  it('answers 404', async () => {
    const res = await fetch(`${h.url}/hooks/github`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
  });
});
