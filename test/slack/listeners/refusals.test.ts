import { describe, expect, it } from 'vitest';
import { AlreadyHandled, StoreBusyError, UserError } from '../../../src/app/context.js';
import { answerRefusals, FormErrors, outcomeOf, refusalReplacesOriginal } from '../../../src/slack/listeners/refusals.js';
import type { ListenerDeps } from '../../../src/slack/listeners/context.js';

/** Runs the middleware over a listener that throws `err`; returns what was acked and responded. */
async function answer(body: Record<string, unknown>, err: unknown, context: Record<string, unknown> = {}) {
  const acks: unknown[] = [];
  const responses: unknown[] = [];
  const logged: unknown[] = [];
  const l = { logger: { error: (o: unknown) => logged.push(o), warn: (o: unknown) => logged.push(o) } } as unknown as ListenerDeps;
  const args = {
    body, context,
    ack: async (r?: unknown) => { acks.push(r); },
    respond: async (r: unknown) => { responses.push(r); },
    next: async () => { throw err; },
  };
  let thrown: unknown;
  await (answerRefusals(l) as (a: unknown) => Promise<void>)(args).catch((e: unknown) => { thrown = e; });
  return { acks, responses, logged, thrown };
}

describe('the one error path', () => {
  it('answers a refused command in the ack, with the right form', async () => {
    const { acks, thrown } = await answer({ command: '/incident', text: 'sev x' }, new UserError('Bad severity.', '/incident severity <sev1-4>'));
    expect(thrown).toBeUndefined();
    expect(acks).toHaveLength(1);
    expect(JSON.stringify(acks[0])).toContain('Bad severity.');
    expect(JSON.stringify(acks[0])).toContain('Usage: `/incident severity &lt;sev1-4&gt;`');
    expect((acks[0] as { response_type: string }).response_type).toBe('ephemeral');
  });

  it('answers a command that failed for another reason with "nothing was changed", and logs it', async () => {
    const { acks, logged } = await answer({ command: '/incident', text: 'log x' }, new Error('boom'));
    expect(JSON.stringify(acks[0])).toContain('nothing was changed');
    expect(logged).toHaveLength(1);
  });

  it('shows a modal refusal on the fields the form named, else on the first input', async () => {
    // Which field a use case's refusal is about is the form's to say (test/slack/actions/add-action.test.ts): it throws FormErrors.
    const view = { state: { values: { action_text: {}, due: {} } } };
    const form = await answer({ type: 'view_submission', view }, new FormErrors({ due: 'Pick a date.' }));
    expect(form.acks).toEqual([{ response_action: 'errors', errors: { due: 'Pick a date.' } }]);
    const onFirst = await answer({ type: 'view_submission', view }, new StoreBusyError());
    expect(Object.keys((onFirst.acks[0] as { errors: object }).errors)).toEqual(['action_text']);
    const withBlocks = { blocks: [{ type: 'context' }, { type: 'input', block_id: 'title' }, { type: 'input', block_id: 'summary' }], state: { values: { summary: {}, title: {} } } };
    const firstShown = await answer({ type: 'view_submission', view: withBlocks }, new UserError('That date is past.', undefined, 'dueDate'));
    expect(firstShown.acks).toEqual([{ response_action: 'errors', errors: { title: 'That date is past.' } }]);
  });

  it('answers a repeated submission as a success', async () => {
    const { acks, thrown } = await answer({ type: 'view_submission', view: { state: { values: {} } } }, new AlreadyHandled('submit:V1'));
    expect(acks).toEqual([undefined]);
    expect(thrown).toBeUndefined();
  });

  it('answers a refused button beside the message, or in its place when the button is a one-shot prompt', async () => {
    const beside = await answer({ type: 'block_actions' }, new UserError('Only the IC may do that.'));
    expect(beside.acks).toEqual([undefined]);
    expect(beside.responses).toEqual([{ response_type: 'ephemeral', replace_original: false, text: 'Only the IC may do that.' }]);
    const context: Record<string, unknown> = {};
    refusalReplacesOriginal(context as never);
    const replacing = await answer({ type: 'block_actions' }, new UserError('Too old.'), context);
    expect(replacing.responses).toEqual([{ response_type: 'ephemeral', replace_original: true, text: 'Too old.' }]);
  });

  it('answers a refused message shortcut with a reply only the caller sees', async () => {
    const { acks, responses } = await answer({ type: 'message_action' }, new UserError('Only messages in an incident channel can be added to its timeline.'));
    expect(acks).toEqual([undefined]);
    expect(responses).toEqual([{ response_type: 'ephemeral', text: 'Only messages in an incident channel can be added to its timeline.' }]);
  });

  it('leaves errors that are not refusals to Bolt outside commands', async () => {
    const err = new Error('boom');
    const { thrown, acks } = await answer({ type: 'block_actions' }, err);
    expect(thrown).toBe(err);
    expect(acks).toEqual([]);
  });

  it('counts busy, refused and failed commands apart', () => {
    expect([outcomeOf(new StoreBusyError()), outcomeOf(new UserError('x')), outcomeOf(new Error('x'))]).toEqual(['busy', 'refused', 'error']);
  });
});
