/** Every Slack Web API call goes through src/slack/slack-api.ts: no other module holds a WebClient or calls Bolt's client. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => f.split(path.sep).join('/'));
// Code only: comments may name the client when they explain why it is not used.
const code = (f: string) => fs.readFileSync(path.join(src, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

describe('one door to Slack', () => {
  it('only slack-api.ts imports @slack/web-api (the Socket Mode transport aside, which Bolt builds)', () => {
    expect(files.length).toBeGreaterThan(50);
    const importers = files.filter((f) => /from '@slack\/web-api'/.test(code(f)));
    expect(importers).toEqual(['slack/slack-api.ts']);
  });

  it('no listener or action calls Slack through Bolt\'s client or by a method name string', () => {
    const offenders = files.filter((f) => /\bclient\.(views|chat|conversations|users|auth|pins|files|reactions)\.|\.apiCall\(/.test(code(f)));
    expect(offenders).toEqual([]);
    // A planted call is found: the pattern is not vacuous.
    expect(/\bclient\.(views|chat)\./.test('await client.views.open({})')).toBe(true);
  });
});
