import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SHORTCUT } from '../src/slack/ids.js';
import { SLACK_METHODS } from '../src/slack/slack-api.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = path.resolve(root, '../shared/slack/manifest-schema');
const manifest = parse(fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8'));

describe('manifest.yml', () => {
  it('validates against Slack\'s manifest schema', () => {
    const version = manifest._metadata?.major_version ?? 1;
    const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, `manifest.schema.${version}.0.0.json`), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const valid = ajv.validate(schema, manifest);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('declares /incident with escaping on, both message shortcuts and the events the bot handles', () => {
    const cmd = manifest.features.slash_commands.find((c: { command: string }) => c.command === '/incident');
    expect(cmd.should_escape).toBe(true);
    const shortcuts = manifest.features.shortcuts.map((s: { callback_id: string; type: string }) => `${s.type}:${s.callback_id}`);
    expect(shortcuts).toEqual(expect.arrayContaining([`message:${SHORTCUT.declare}`, `message:${SHORTCUT.addToTimeline}`]));
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['reaction_added', 'app_home_opened']));
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('installs without editing: Socket Mode on, no request URL anywhere (a placeholder would have to be replaced)', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    const urls = JSON.stringify(manifest).match(/https?:\/\/[^"]*/g) ?? [];
    expect(urls).toEqual([]);
    for (const c of manifest.features.slash_commands) expect(c.url).toBeUndefined();
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    expect(manifest.settings.interactivity.request_url).toBeUndefined();
  });

  it('stays valid in HTTP mode once the request URLs the README names are added', () => {
    const version = manifest._metadata?.major_version ?? 1;
    const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, `manifest.schema.${version}.0.0.json`), 'utf8'));
    const http = structuredClone(manifest);
    const url = 'https://incidents.example.org/slack/events';
    http.settings.socket_mode_enabled = false;
    for (const c of http.features.slash_commands) c.url = url;
    http.settings.event_subscriptions.request_url = url;
    http.settings.interactivity.request_url = url;
    const ajv = new Ajv({ strict: false, allErrors: true });
    expect(ajv.validate(schema, http), JSON.stringify(ajv.errors)).toBe(true);
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain('https://<host>/slack/events');
    expect(readme).toContain('connections:write');
  });

  it('asks for every scope the Web API methods the bot calls require', () => {
    // Every Slack call goes through the door, so its list of methods is the list the bot can call.
    const used = new Set<string>(SLACK_METHODS);
    // files.uploadV2 is a helper: Slack sees the two calls it makes.
    used.add('files.getUploadURLExternal');
    used.add('files.completeUploadExternal');
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    const methodsDir = path.resolve(root, '../shared/slack/methods');
    const missing: string[] = [];
    for (const method of used) {
      const file = path.join(methodsDir, `${method}.json`);
      if (!fs.existsSync(file)) continue;
      const bot: string[] = JSON.parse(fs.readFileSync(file, 'utf8')).scope?.bot ?? [];
      if (bot.length > 0 && !bot.some((s) => scopes.includes(s))) missing.push(`${method} needs one of ${bot.join(', ')}`);
    }
    expect(used.size).toBeGreaterThan(15);
    expect(missing).toEqual([]);
    expect(scopes).toContain('commands');
    expect(scopes).toContain('reactions:read');
  });
});
