/** /healthz tells the truth: 503 once the database file is gone or replaced (and commands then say nothing was recorded); a refused token or a given-up delivery shows in /healthz and /metrics, and the person who asked is told. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BOT_TOKEN, type Harness, startHarness } from './harness.js';

async function health(h: Harness): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('health that tells the truth', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('answers 503 after the database file is removed, and a command then gets an error reply, not a success', async () => {
    h = await startHarness();
    expect(await health(h)).toMatchObject({ status: 200, body: { database: 'ok' } });
    const file = path.join(h.dir, 'incidents.db');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });

    const after = await health(h);
    expect(after.status).toBe(503);
    expect(after.body).toMatchObject({ status: 'down', database: 'deleted' });
    expect(String(after.body.problem)).toContain('was deleted');

    const creates = h.emu.callsTo('conversations.create').length;
    const reply = await h.driver.command('declare sev1 Lost if acknowledged', { userId: 'U0001' });
    expect(reply.status).toBe(200);
    const text = String((reply.json as { text?: string }).text);
    expect(text).toMatch(/can't record this right now.*deleted.*Nothing was changed/s);
    expect(text).not.toMatch(/declared|INC-\d/);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.emu.callsTo('conversations.create').length).toBe(creates);
    // An event is not taken (it would be lost at restart): Slack is asked to send it again.
    const event = await h.driver.event({ type: 'reaction_added', user: 'U0001', reaction: 'pushpin', item: { type: 'message', channel: 'C_GENERAL', ts: '1700000000.000100' }, item_user: 'U0001', event_ts: '1700000000.000200' });
    expect(event.status).toBe(500);
    // Help still answers: it records nothing.
    const help = await h.driver.command('help', { userId: 'U0001' });
    expect(String((help.json as { text?: string }).text)).not.toContain("can't record");
  });

  it('answers 503 when the file at DATABASE_URL was replaced by another one', async () => {
    h = await startHarness();
    const file = path.join(h.dir, 'incidents.db');
    fs.copyFileSync(file, `${file}.copy`);
    fs.renameSync(`${file}.copy`, file);
    expect(await health(h)).toMatchObject({ status: 503, body: { database: 'replaced' } });
    const reply = await h.driver.command('list', { userId: 'U0001' });
    expect(String((reply.json as { text?: string }).text)).toContain("can't record this right now");
  });

  it('shows a token Slack refuses at run time in /healthz and /metrics, and tells the declarer what did not happen', async () => {
    h = await startHarness();
    h.emu.refuseToken(BOT_TOKEN, 'token_revoked');
    const reply = await h.driver.command('declare sev2 Token revoked meanwhile', { userId: 'U0001' });
    expect(reply.status).toBe(200);
    // The declarer hears, in words, that the channel was not created and why (through the response_url: it needs no token).
    const told = await h.emu.waitFor(() => h!.emu.responses.find((r) => r.id === reply.responseUrl.split('/').pop() && JSON.stringify(r.body).includes('token_revoked')), { message: 'the declarer was not told' });
    expect(JSON.stringify(told.body)).toMatch(/INC-1/);

    const hz = await health(h);
    expect(hz.status).toBe(200); // the database is fine: the work is recorded
    expect(hz.body).toMatchObject({ status: 'degraded', slack: 'token_refused', slackTokenError: 'token_revoked' });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/^incident_bot_slack_token_refused 1$/m);

    // Once Slack accepts the token again, the flag clears.
    h.emu.refuseToken(BOT_TOKEN, null);
    await h.driver.command('declare sev3 Token fixed', { userId: 'U0001' });
    await h.emu.waitFor(async () => (await health(h!)).body.slack === 'ok', { message: 'token flag did not clear' });
    expect(await (await fetch(`${h.url}/metrics`)).text()).toMatch(/^incident_bot_slack_token_refused 0$/m);
  });

  it('a given-up delivery nobody in particular asked for is said in the incident channel', async () => {
    h = await startHarness();
    h.emu.inject('pins.add', { error: 'too_many_pins' });
    const reply = await h.driver.command('declare sev3 Pins are full', { userId: 'U0001' });
    const channel = /<#(C[A-Z0-9]+)>/.exec(String(reply.json.text))?.[1] ?? (await h.emu.waitFor(() => h!.emu.channels.find((c) => c.name.startsWith('inc-1-'))?.id));
    const said = await h.emu.waitFor(() => h!.emu.messages(channel).find((m) => m.text.includes('did not happen')), { message: 'the channel was not told' });
    expect(said.text).toMatch(/Keeping the pinned summary of INC-1 up to date did not happen: Slack refused it \(.*too_many_pins\)/);
    expect((await health(h)).body).toMatchObject({ status: 'degraded', deliveriesGivenUp: 1 });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/^incident_bot_outbox_delivered_total\{kind="pin_summary",outcome="failed"\} 1$/m);
  });
});
