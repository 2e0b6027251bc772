import { describe, expect, it } from 'vitest';
import { issueBody, issueMarker, issueTitle, parseIssueMarker, parseIssuesEvent } from '../../src/domain/follow-up.js';

describe('follow-up issues', () => {
  it('the body names the owner, due date, incident and channel, and ends with a marker that reads back', () => {
    const body = issueBody({ incidentId: 12, seq: 3, text: 'Add alerting', title: 'Disk full', ownerName: 'Ada Lovelace', dueDate: '2031-01-02', channelLink: 'https://slack.com/app_redirect?channel=C1' });
    expect(body).toContain('**Owner:** Ada Lovelace');
    expect(body).toContain('**Due:** 2031-01-02');
    expect(body).toContain('INC-12');
    expect(body).toContain('https://slack.com/app_redirect?channel=C1');
    expect(body.endsWith(issueMarker(12, 3))).toBe(true);
    expect(parseIssueMarker(body)).toEqual({ incidentId: 12, seq: 3 });
    expect(parseIssueMarker('no marker')).toBeNull();
    expect(issueBody({ incidentId: 1, seq: 1, text: 'x', title: 't', ownerName: null, dueDate: null, channelLink: null })).toContain('**Owner:** unassigned');
  });

  it('titles fit GitHub’s 256 characters on one line', () => {
    expect(issueTitle('a\n  b')).toBe('a b');
    expect(issueTitle('x'.repeat(400))).toHaveLength(256);
  });

  it('reads issues webhooks: closed and reopened act, other actions are ignored, malformed ones say what is missing', () => {
    const ok = { action: 'closed', issue: { number: 4, body: 'b' }, repository: { full_name: 'a/b' }, sender: { login: 'octocat' } };
    expect(parseIssuesEvent(ok)).toEqual({ action: 'closed', number: 4, repository: 'a/b', body: 'b', sender: 'octocat' });
    expect(parseIssuesEvent({ ...ok, action: 'edited' })).toEqual({ ignored: 'action edited' });
    expect(parseIssuesEvent({ ...ok, issue: {} })).toEqual({ error: 'missing "issue.number"' });
    expect(parseIssuesEvent(null)).toHaveProperty('error');
    expect(parseIssuesEvent([])).toHaveProperty('error');
  });
});
