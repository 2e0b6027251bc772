import { describe, expect, it } from 'vitest';
import type { ListenerDeps } from '../../../src/slack/listeners/context.js';
import { answerRefusals } from '../../../src/slack/listeners/refusals.js';
import { cannotRecordText, refuseWhileUnhealthy } from '../../../src/slack/listeners/refuse-while-unhealthy.js';

const REASON = 'the database file was deleted';

/** Runs a request through the error path and the health check, as the app orders them; returns what was answered. */
async function request(body: Record<string, unknown>, healthy = false) {
  const acks: unknown[] = [];
  const responses: unknown[] = [];
  const warned: unknown[] = [];
  let reached = false;
  const l = {
    logger: { warn: (o: unknown, msg: string) => warned.push([o, msg]), error: () => undefined },
    databaseProblem: () => (healthy ? null : { state: 'deleted', reason: REASON }),
  } as unknown as ListenerDeps;
  const refusals = answerRefusals(l) as (a: unknown) => Promise<void>;
  const health = refuseWhileUnhealthy(l) as (a: unknown) => Promise<void>;
  const base = { body, context: {}, ack: async (r?: unknown) => { acks.push(r); }, respond: async (r: unknown) => { responses.push(r); } };
  await refusals({ ...base, next: () => health({ ...base, next: async () => { reached = true; } }) });
  return { acks, responses, warned, reached };
}

describe('refusing requests while the database cannot record them', () => {
  it('passes everything on while the database is fine', async () => {
    expect((await request({ command: '/incident', text: 'declare sev1 x' }, true)).reached).toBe(true);
  });

  it('answers a command in its ack, through the one error path, and logs it', async () => {
    const { acks, reached, warned } = await request({ command: '/incident', text: 'declare sev1 x' });
    expect(reached).toBe(false);
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(acks[0])).toContain(cannotRecordText(REASON));
    expect(warned).toEqual([[{ database: 'deleted', kind: 'command' }, 'request refused: the database cannot record it']]);
  });

  it('still answers help, in every form it is typed', async () => {
    for (const text of ['', 'help', ' HELP ', '?']) expect((await request({ command: '/incident', text })).reached).toBe(true);
    expect((await request({ command: '/incident', text: 'list' })).reached).toBe(false);
  });

  it('shows the refusal on a form\'s first input, and beside a pressed button', async () => {
    const view = { blocks: [{ type: 'context' }, { type: 'input', block_id: 'title' }], state: { values: { title: {} } } };
    const form = await request({ type: 'view_submission', view });
    expect(form.acks).toEqual([{ response_action: 'errors', errors: { title: cannotRecordText(REASON) } }]);
    const button = await request({ type: 'block_actions' });
    expect(button.acks).toEqual([undefined]);
    expect(button.responses).toEqual([{ response_type: 'ephemeral', replace_original: false, text: cannotRecordText(REASON) }]);
  });
});
