/** Issue 12 item 7: signed requests dated too far either way, and replays of signed bytes, are refused with 401 and change nothing. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signatureHeaders } from '../slack-emulator/signing.js';
import { SIGNING_SECRET, type Harness, startHarness } from './harness.js';

describe('request signatures', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  const commandBody = (text: string) => new URLSearchParams({
    token: 't', team_id: 'T0001', channel_id: 'C_GENERAL', user_id: 'U0001', user_name: 'alice', command: '/incident', text,
    response_url: h.emu.newResponseUrl(), trigger_id: h.emu.issueTriggerId('U0001'),
  }).toString();
  const send = (body: string, headers: Record<string, string>) => fetch(`${h.url}/slack/events`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body,
  });
  const nowSec = () => Math.floor(Date.now() / 1000);

  it('refuses a correctly signed request dated more than 5 minutes ahead (a day, and 6 minutes) or behind', async () => {
    for (const skewSec of [86_400, 6 * 60, -6 * 60]) {
      const body = commandBody(`declare sev2 From the future ${skewSec}`);
      const res = await send(body, signatureHeaders(SIGNING_SECRET, body, 'valid', nowSec() + skewSec));
      expect(res.status).toBe(401);
    }
    // Within the window either way is fine.
    const ok = commandBody('declare sev2 Slightly skewed clock');
    expect((await send(ok, signatureHeaders(SIGNING_SECRET, ok, 'valid', nowSec() + 60))).status).toBe(200);
    const incidents = await h.bot.store.incidents.listOpen();
    expect(incidents.map((i) => i.title)).toEqual(['Slightly skewed clock']);
  });

  it('refuses the same signed bytes replayed within the window: 401 and no second effect', async () => {
    const body = commandBody('declare sev2 Replayed declaration');
    const headers = signatureHeaders(SIGNING_SECRET, body, 'valid');
    expect((await send(body, headers)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await send(body, headers)).status).toBe(401);

    // A replayed event as well (the inbox would deduplicate it anyway, but it must not even be taken in).
    const event = JSON.stringify({ type: 'event_callback', event_id: 'EvREPLAY1', event: { type: 'app_home_opened', user: 'U0001', tab: 'home' } });
    const eventHeaders = { ...signatureHeaders(SIGNING_SECRET, event, 'valid'), 'content-type': 'application/json' };
    expect((await send(event, eventHeaders)).status).toBe(200);
    expect((await send(event, eventHeaders)).status).toBe(401);
    expect((await h.bot.store.incidents.listOpen()).map((i) => i.title)).toEqual(['Replayed declaration']);
  });
});
