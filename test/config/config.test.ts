import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-123-abc', SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
}

describe('settings', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({ port: 3000, databasePath: './data/incidents.db', announceChannel: null, schedulerTickMs: 30_000, escalateAfterMissed: 2, postmortemDueMs: 48 * 3_600_000, timelineEmoji: 'pushpin', logLevel: 'info', appToken: null, slackApiUrl: null });
    expect(c.cadence).toEqual({ SEV1: 15 * 60_000, SEV2: 30 * 60_000, SEV3: 60 * 60_000, SEV4: null });
  });

  it('reads every setting', () => {
    const c = loadConfig({
      ...base, SLACK_APP_TOKEN: 'xapp-1-A1-2-abc', SLACK_API_URL: 'http://127.0.0.1:9999/api', PORT: '8080', DATABASE_URL: '/var/lib/bot/x.db',
      ANNOUNCE_CHANNEL: 'C0123456789', UPDATE_CADENCE: 'SEV1=5m,SEV2=off', SCHEDULER_TICK: '1s', ESCALATE_AFTER_MISSED: '3', POSTMORTEM_DUE: 'off', TIMELINE_EMOJI: ':memo:', LOG_LEVEL: 'DEBUG',
    });
    expect(c).toMatchObject({ appToken: 'xapp-1-A1-2-abc', slackApiUrl: 'http://127.0.0.1:9999/api/', port: 8080, databasePath: '/var/lib/bot/x.db', announceChannel: 'C0123456789', schedulerTickMs: 1000, escalateAfterMissed: 3, postmortemDueMs: null, timelineEmoji: 'memo', logLevel: 'debug' });
    expect(c.cadence.SEV1).toBe(5 * 60_000);
    expect(c.cadence.SEV2).toBeNull();
  });

  it('names every bad or missing variable with a valid example, one problem each', () => {
    const found = problems({ PORT: 'eighty', SCHEDULER_TICK: '5 minutes', ESCALATE_AFTER_MISSED: '-1', UPDATE_CADENCE: 'SEV9=1m', ANNOUNCE_CHANNEL: '#incidents', LOG_LEVEL: 'loud' });
    for (const name of ['SLACK_BOT_TOKEN', 'PORT', 'SCHEDULER_TICK', 'ESCALATE_AFTER_MISSED', 'UPDATE_CADENCE', 'ANNOUNCE_CHANNEL', 'LOG_LEVEL']) {
      const line = found.find((p) => p.includes(name));
      expect(line, `a problem naming ${name} in ${JSON.stringify(found)}`).toBeTruthy();
      expect(line).toMatch(/e\.g\.|like|one of/);
    }
  });

  it('alerts and paging: defaults, every setting read, bad values named with the right form, secrets never echoed', () => {
    const d = loadConfig(base).alerts;
    expect(d).toMatchObject({ webhookToken: null, pagerDutyRoutingKey: null, pagerDutyEventsUrl: 'https://events.pagerduty.com/v2/enqueue', pageSeverities: ['SEV1', 'SEV2'], pagerDutyWebhookSecret: null });
    expect(d.severityMap.get('critical')).toBe('SEV1');
    expect(d.severityMap.get('warning')).toBe('SEV3');
    const c = loadConfig({
      ...base, ALERT_WEBHOOK_TOKEN: 'tok-0123456789abcdef', ALERT_SEVERITY: 'p1=SEV1,p3=SEV3', PAGERDUTY_ROUTING_KEY: 'R0123456789ABCDEF0123456789ABCDE',
      PAGERDUTY_EVENTS_URL: 'http://127.0.0.1:9/v2/enqueue', PAGE_SEVERITIES: 'off', PAGERDUTY_WEBHOOK_SECRET: 'whsec-abcdefgh',
    }).alerts;
    expect(c).toMatchObject({ webhookToken: 'tok-0123456789abcdef', pagerDutyRoutingKey: 'R0123456789ABCDEF0123456789ABCDE', pagerDutyEventsUrl: 'http://127.0.0.1:9/v2/enqueue', pageSeverities: [], pagerDutyWebhookSecret: 'whsec-abcdefgh' });
    expect([...c.severityMap]).toEqual([['p1', 'SEV1'], ['p3', 'SEV3']]);
    const found = problems({ ...base, ALERT_WEBHOOK_TOKEN: 'short', ALERT_SEVERITY: 'critical=SEV0', PAGERDUTY_ROUTING_KEY: 'not a key!', PAGERDUTY_EVENTS_URL: 'events.pagerduty.com', PAGE_SEVERITIES: 'SEV1,high' });
    for (const name of ['ALERT_WEBHOOK_TOKEN', 'ALERT_SEVERITY', 'PAGERDUTY_ROUTING_KEY', 'PAGERDUTY_EVENTS_URL', 'PAGE_SEVERITIES']) {
      const line = found.find((p) => p.includes(name));
      expect(line, `a problem naming ${name} in ${JSON.stringify(found)}`).toMatch(/e\.g\./);
    }
    expect(found.join('\n')).not.toContain('not a key!');
  });

  it('reads the Statuspage and GitHub settings; each pair goes together', () => {
    const off = loadConfig(base);
    expect(off).toMatchObject({ statuspage: null, github: null, githubWebhookSecret: null });
    const on = loadConfig({ ...base, STATUSPAGE_API_KEY: 'k1', STATUSPAGE_PAGE_ID: 'kctbh9vrtdwd', GITHUB_TOKEN: 'github_pat_x', GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: 'http://127.0.0.1:9/api', GITHUB_WEBHOOK_SECRET: 'long-enough' });
    expect(on.statuspage).toEqual({ apiKey: 'k1', pageId: 'kctbh9vrtdwd', apiUrl: 'https://api.statuspage.io/v1/' });
    expect(on.github).toEqual({ token: 'github_pat_x', repository: 'acme/shop', apiUrl: 'http://127.0.0.1:9/api/' });
    expect(on.githubWebhookSecret).toBe('long-enough');
    const found = problems({ ...base, STATUSPAGE_API_KEY: 'k1', GITHUB_REPOSITORY: 'not a repo', STATUSPAGE_API_URL: 'ftp:/x' });
    expect(found.find((p) => p.includes('STATUSPAGE_PAGE_ID'))).toMatch(/go together/);
    expect(found.find((p) => p.startsWith('GITHUB_REPOSITORY'))).toMatch(/owner\/name, e\.g\. acme\/shop/);
    expect(found.find((p) => p.includes('GITHUB_TOKEN must be set too'))).toBeTruthy();
    expect(found.find((p) => p.includes('STATUSPAGE_API_URL'))).toMatch(/e\.g\./);
  });

  it('requires the signing secret in HTTP mode only', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' }).join('\n')).toContain('SLACK_SIGNING_SECRET');
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-abc' })).not.toThrow();
  });

  it('never echoes a secret in its messages', () => {
    const found = problems({ SLACK_BOT_TOKEN: 'xoxp-secret-user-token-value', SLACK_SIGNING_SECRET: '!!not-hex-secret-value!!' }).join('\n');
    expect(found).toContain('SLACK_BOT_TOKEN');
    expect(found).not.toContain('secret-user-token-value');
    expect(found).not.toContain('not-hex-secret-value');
  });

  it('PostgreSQL connection limits: documented defaults, read as counts and durations, bad values named with the right form', () => {
    expect(loadConfig(base).databasePool).toEqual({ size: 10, statementTimeoutMs: 5000, connectTimeoutMs: 3000 });
    expect(loadConfig({ ...base, DATABASE_POOL_SIZE: '4', DATABASE_STATEMENT_TIMEOUT: '1m', DATABASE_CONNECT_TIMEOUT: '10s' }).databasePool)
      .toEqual({ size: 4, statementTimeoutMs: 60_000, connectTimeoutMs: 10_000 });
    for (const [name, bad] of <[string, string][]>[['DATABASE_POOL_SIZE', 'ten'], ['DATABASE_POOL_SIZE', '1'], ['DATABASE_POOL_SIZE', '2.5'], ['DATABASE_POOL_SIZE', '5000'],
      ['DATABASE_STATEMENT_TIMEOUT', '5000'], ['DATABASE_STATEMENT_TIMEOUT', 'off'], ['DATABASE_STATEMENT_TIMEOUT', '2h'], ['DATABASE_CONNECT_TIMEOUT', '3 seconds'], ['DATABASE_CONNECT_TIMEOUT', '1h']]) {
      const found = problems({ ...base, [name]: bad });
      expect(found, `${name}=${bad}`).toHaveLength(1);
      expect(found[0]).toContain(name);
      expect(found[0]).toMatch(/e\.g\.|like/);
    }
  });

  it('refuses a DATABASE_URL whose scheme it cannot use, and takes SQLite and PostgreSQL spellings', () => {
    expect(problems({ ...base, DATABASE_URL: 'mysql://db/incidents' }).join('\n')).toMatch(/DATABASE_URL scheme "mysql:" is not supported.*e\.g\. file:.*postgres:\/\//);
    expect(problems({ ...base, DATABASE_URL: 'postgres:///incidents' }).join('\n')).toMatch(/DATABASE_URL must name a PostgreSQL server, e\.g\. postgres:\/\//);
    for (const url of ['postgres://db/incidents', 'postgresql://u:p@db.internal:5432/incidents', 'file:./x.db', 'sqlite:x.db', 'file:///var/lib/x.db', '/var/lib/x.db', 'x.db', 'C:\\bot\\x.db', ':memory:']) {
      expect(problems({ ...base, DATABASE_URL: url }), url).toEqual([]);
    }
  });
});
