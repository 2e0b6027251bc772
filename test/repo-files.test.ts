/** Files a user expects in the repository: a licence that package.json agrees with, and a .env.example that explains every setting. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

/** Every setting of the outer interface (shared/interface.md), plus the bot's own extras. */
const SETTINGS = [
  'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_API_URL', 'PORT', 'DATABASE_URL', 'ANNOUNCE_CHANNEL',
  'UPDATE_CADENCE', 'SCHEDULER_TICK', 'ESCALATE_AFTER_MISSED', 'POSTMORTEM_DUE', 'TIMELINE_EMOJI', 'LOG_LEVEL',
  'ALERT_WEBHOOK_TOKEN', 'ALERT_SEVERITY', 'PAGERDUTY_ROUTING_KEY', 'PAGERDUTY_EVENTS_URL', 'PAGE_SEVERITIES', 'PAGERDUTY_WEBHOOK_SECRET',
  'STATUSPAGE_API_KEY', 'STATUSPAGE_PAGE_ID', 'STATUSPAGE_API_URL', 'GITHUB_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL', 'GITHUB_WEBHOOK_SECRET',
  'OUTBOX_LEASE', 'DATABASE_POOL_SIZE', 'DATABASE_STATEMENT_TIMEOUT', 'DATABASE_CONNECT_TIMEOUT',
];

describe('repository files', () => {
  it('has an MIT LICENSE and package.json (and its lock) say MIT', () => {
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
    expect(read('LICENSE')).toContain('Permission is hereby granted, free of charge');
    expect(JSON.parse(read('package.json')).license).toBe('MIT');
    expect(JSON.parse(read('package-lock.json')).packages[''].license).toBe('MIT');
  });

  it('.env.example names every setting once, each under a comment that explains it', () => {
    const lines = read('.env.example').split('\n');
    const settingLine = /^#?([A-Z][A-Z0-9_]+)=/;
    const seen = lines.map((l) => settingLine.exec(l)?.[1]).filter((n): n is string => !!n);
    for (const name of SETTINGS) expect(seen.filter((n) => n === name), name).toHaveLength(1);
    expect(seen.filter((n) => !SETTINGS.includes(n)), 'settings the bot does not know').toEqual([]);
    lines.forEach((line, i) => {
      const name = settingLine.exec(line)?.[1];
      if (!name) return;
      // Walk up over neighbouring settings (a pair like STATUSPAGE_API_KEY/PAGE_ID shares a comment) to the explanation.
      let j = i - 1;
      while (j >= 0 && settingLine.test(lines[j]!)) j--;
      expect(lines[j] ?? '', `comment above ${name}`).toMatch(/^# \S.{10,}/);
    });
  });
});
