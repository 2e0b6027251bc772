/** The hooks are reachable in Socket Mode too: the bot has no /slack/events route there, but alerts still get in. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerBody, postHook, sendAlertmanager } from '../hook-senders.js';
import { startHarness, type Harness } from './harness.js';

const TOKEN = 'alert-token-0123456789abcdef';

describe('alert hooks in Socket Mode', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ ALERT_WEBHOOK_TOKEN: TOKEN }, { mode: 'socket' }); });
  afterAll(async () => { await h?.close(); });

  it('declares from an Alertmanager delivery, refuses a bad token and an oversized body, and keeps serving', async () => {
    expect((await postHook(h.url, '/hooks/alertmanager', JSON.stringify(alertmanagerBody()), { authorization: 'Bearer wrong-token-xxxxxxxxx' })).status).toBe(401);
    expect((await sendAlertmanager(h.url, TOKEN, alertmanagerBody([{ annotations: { description: 'y'.repeat(1_100_000) } }]))).status).toBe(413);
    expect(await h.bot.store.incidents.listOpen()).toHaveLength(0);
    const res = await sendAlertmanager(h.url, TOKEN, alertmanagerBody());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ incident: 'INC-1', declared: true });
    await h.emu.waitFor(async () => (await h.bot.store.incidents.get(1))?.channelId ?? undefined, { message: 'no channel in Socket Mode' });
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});
