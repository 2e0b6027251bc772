import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CommandError, isCommandError, type ParseResult } from '../../src/domain/command.js';
import { CommandParser, isCalendarDate, MAX_COMMAND_LENGTH, parseSeverity } from '../../src/domain/command-parser.js';
import { COMMAND_USAGE, parseCommand } from '../../src/slack/actions/registry.js';

function expectError(r: ParseResult, message: RegExp, usage?: string): CommandError {
  expect(r.kind).toBe('error');
  const e = r as CommandError;
  expect(e.message).toMatch(message);
  expect(e.usage).toMatch(/^\/incident /);
  if (usage !== undefined) expect(e.usage).toBe(usage);
  return e;
}

describe('help', () => {
  it.each(['', '   ', '\n\t', 'help', 'HELP', 'Help me please', '?'])('%j → help', (t) => {
    expect(parseCommand(t)).toEqual({ kind: 'help' });
  });
});

describe('declare', () => {
  it('alone opens the modal', () => {
    expect(parseCommand('declare')).toEqual({ kind: 'declare_modal' });
    expect(parseCommand('  DECLARE  ')).toEqual({ kind: 'declare_modal' });
  });
  it('defaults to SEV3 and collapses whitespace in the title', () => {
    expect(parseCommand('declare  Checkout   is\n failing ')).toEqual({ kind: 'declare', severity: 'SEV3', title: 'Checkout is failing' });
  });
  it.each([
    ['sev1', 'SEV1'], ['SEV2', 'SEV2'], ['Sev3', 'SEV3'], ['sev4', 'SEV4'], ['p1', 'SEV1'], ['P4', 'SEV4'], ['sev-2', 'SEV2'],
  ])('reads severity %s', (word, sev) => {
    expect(parseCommand(`declare ${word} DB down`)).toEqual({ kind: 'declare', severity: sev, title: 'DB down' });
  });
  it.each(['sev9', 'sev0', 'SEV5', 'p0', 'sev'])('refuses bad severity %s', (word) => {
    expectError(parseCommand(`declare ${word} DB down`), /bad severity/i, COMMAND_USAGE.declare);
  });
  it('keeps latency percentiles in the title', () => {
    expect(parseCommand('declare p99 latency high')).toEqual({ kind: 'declare', severity: 'SEV3', title: 'p99 latency high' });
  });
  it('needs a title after the severity', () => {
    expectError(parseCommand('declare sev1'), /title/i, COMMAND_USAGE.declare);
    expectError(parseCommand('declare sev2   '), /title/i);
  });
  it('accepts the `new` alias', () => {
    expect(parseCommand('new sev2 x')).toEqual({ kind: 'declare', severity: 'SEV2', title: 'x' });
  });
});

describe('simple commands', () => {
  it.each(['list', 'roles', 'close', 'actions', 'timeline', 'postmortem'] as const)('%s', (k) => {
    expect(parseCommand(k)).toEqual({ kind: k });
    expect(parseCommand(k.toUpperCase())).toEqual({ kind: k });
    expectError(parseCommand(`${k} extra`), /takes nothing/, COMMAND_USAGE[k]);
  });
  it('aliases', () => {
    expect(parseCommand('ls')).toEqual({ kind: 'list' });
    expect(parseCommand('pm')).toEqual({ kind: 'postmortem' });
    expect(parseCommand('post-mortem')).toEqual({ kind: 'postmortem' });
  });
});

describe('role', () => {
  it.each([
    ['ic', 'ic'], ['IC', 'ic'], ['commander', 'ic'], ['incident-commander', 'ic'], ['incident_commander', 'ic'],
    ['tech', 'tech'], ['technical', 'tech'], ['tech_lead', 'tech'], ['TL', 'tech'],
    ['comms', 'comms'], ['communications', 'comms'], ['comms_lead', 'comms'], ['comms-lead', 'comms'], ['cl', 'comms'],
  ])('role %s', (word, role) => {
    expect(parseCommand(`role ${word} <@U123>`)).toEqual({ kind: 'role', role, userId: 'U123' });
  });
  it('reads labelled and W-prefixed mentions, in either order', () => {
    expect(parseCommand('role ic <@U0ABC|alice>')).toEqual({ kind: 'role', role: 'ic', userId: 'U0ABC' });
    expect(parseCommand('role tech <@W999|Bob Smith>')).toEqual({ kind: 'role', role: 'tech', userId: 'W999' });
    expect(parseCommand('role <@U7> comms')).toEqual({ kind: 'role', role: 'comms', userId: 'U7' });
  });
  it('explains that plain @names are not mentions', () => {
    expectError(parseCommand('role ic @alice'), /autocomplete/, COMMAND_USAGE.role);
    expectError(parseCommand('role ic <#C123|general>'), /not a Slack mention/);
  });
  it('needs a user', () => {
    expectError(parseCommand('role ic'), /Incident Commander.*autocomplete/, COMMAND_USAGE.role);
  });
  it('refuses unknown roles and missing role', () => {
    expectError(parseCommand('role lead <@U1>'), /Unknown role `lead`/, COMMAND_USAGE.role);
    expectError(parseCommand('role <@U1>'), /which role/);
    expectError(parseCommand('role'), /which role/);
  });
  it('one person only', () => {
    expectError(parseCommand('role ic <@U1> <@U2>'), /exactly one/);
  });
});

describe('log and update', () => {
  it('log keeps newlines', () => {
    expect(parseCommand('log first line\n  second line')).toEqual({ kind: 'log', text: 'first line\n  second line' });
    expect(parseCommand('note x')).toEqual({ kind: 'log', text: 'x' });
  });
  it('log needs text', () => expectError(parseCommand('log   '), /timeline/, COMMAND_USAGE.log));
  it('update with and without text', () => {
    expect(parseCommand('update Rolled back\n\nwatching')).toEqual({ kind: 'update', text: 'Rolled back\n\nwatching' });
    expect(parseCommand('Update')).toEqual({ kind: 'update_modal' });
  });
});

describe('severity', () => {
  it.each([['severity sev1', 'SEV1'], ['sev SEV2', 'SEV2'], ['SEV p3', 'SEV3'], ['severity 4', 'SEV4']])('%s', (t, sev) => {
    expect(parseCommand(t)).toEqual({ kind: 'severity', severity: sev });
  });
  it.each([['severity', /Say the new severity/], ['severity sev7', /Bad severity/], ['sev 0', /Bad severity/], ['severity sev1 now', /just one/]])('%s is refused', (t, msg) => {
    expectError(parseCommand(t), msg, COMMAND_USAGE.severity);
  });
});

describe('status', () => {
  it.each(['investigating', 'identified', 'mitigating', 'monitoring', 'resolved'])('%s', (s) => {
    expect(parseCommand(`status ${s.toUpperCase()}`)).toEqual({ kind: 'status', status: s });
  });
  it('verb forms', () => expect(parseCommand('status mitigate')).toEqual({ kind: 'status', status: 'mitigating' }));
  it('closed points to /incident close', () => {
    expectError(parseCommand('status closed'), /\/incident close/, COMMAND_USAGE.close);
  });
  it('refuses unknown and missing', () => {
    expectError(parseCommand('status fixed'), /Unknown status `fixed`/, COMMAND_USAGE.status);
    expectError(parseCommand('status'), /Say the new status/);
    expectError(parseCommand('status resolved now'), /nothing after/);
  });
});

describe('resolve', () => {
  it('with and without summary', () => {
    expect(parseCommand('resolve')).toEqual({ kind: 'resolve', summary: null });
    expect(parseCommand('resolve Bad deploy\nrolled back')).toEqual({ kind: 'resolve', summary: 'Bad deploy\nrolled back' });
  });
});

describe('action', () => {
  it('text only', () => {
    expect(parseCommand('action Add alert on queue depth')).toEqual({ kind: 'action', text: 'Add alert on queue depth', ownerId: null, dueDate: null });
  });
  it('owner and due anywhere', () => {
    const want = { kind: 'action', text: 'Add alert on queue depth', ownerId: 'U1', dueDate: '2026-03-31' };
    expect(parseCommand('action Add alert on queue depth <@U1> due:2026-03-31')).toEqual(want);
    expect(parseCommand('action Add <@U1|al> alert DUE:2026-03-31 on queue depth')).toEqual(want);
    expect(parseCommand('action due: 2026-03-31 Add alert on queue depth <@U1>')).toEqual(want);
  });
  it('accepts 29 February only in leap years', () => {
    expect(parseCommand('action x due:2028-02-29')).toMatchObject({ dueDate: '2028-02-29' });
    expectError(parseCommand('action x due:2026-02-29'), /not a real date/, COMMAND_USAGE.action);
  });
  it.each(['2026-02-30', '2026-13-01', '2026-00-10', '26-1-1', 'tomorrow', ''])('refuses due:%s', (d) => {
    expectError(parseCommand(`action fix it due:${d}`), /not a real date/);
  });
  it('refuses missing text, two owners, two dates, plain @name', () => {
    expectError(parseCommand('action'), /what needs doing/);
    expectError(parseCommand('action <@U1> due:2026-01-01'), /what needs doing/);
    expectError(parseCommand('action x <@U1> <@U2>'), /one owner/);
    expectError(parseCommand('action x due:2026-01-01 due:2026-01-02'), /one due date/);
    expectError(parseCommand('action x @bob'), /autocomplete/);
  });
  it.each(['action done A-3', 'ACTION DONE a-3', 'action A-3 done', 'done A-3', 'done a3', 'action done #3'])('%s → action_done 3', (t) => {
    expect(parseCommand(t)).toEqual({ kind: 'action_done', seq: 3 });
  });
  it('done without a valid reference', () => {
    expectError(parseCommand('action done'), /A-<n>/, COMMAND_USAGE.done);
    expectError(parseCommand('done'), /which action item/);
    expectError(parseCommand('done A-0'), /not an action item/);
    expectError(parseCommand('done the migration'), /not an action item/);
    expectError(parseCommand('action A-3'), /action done A-3/);
  });
});

describe('snooze', () => {
  it.each([['30m', 1_800_000], ['1h', 3_600_000], ['24h', 86_400_000], ['45s', 45_000], ['1d', 86_400_000]])('%s', (d, ms) => {
    expect(parseCommand(`snooze ${d}`)).toEqual({ kind: 'snooze', durationMs: ms });
  });
  it.each([['snooze', /how long/], ['snooze off', /off/], ['snooze soon', /Bad duration/], ['snooze 25h', /at most 24h/], ['snooze 2d', /at most 24h/], ['snooze 0m', /Bad duration/]])('%s refused', (t, msg) => {
    expectError(parseCommand(t), msg, COMMAND_USAGE.snooze);
  });
});

describe('unknown subcommands', () => {
  it.each([['decalre', 'declare'], ['delcare', 'declare'], ['stauts', 'status'], ['tiemline', 'timeline'], ['rol', 'role'], ['acton', 'action'], ['snoze', 'snooze'], ['upd', 'update']])('%s suggests %s', (typo, sub) => {
    const e = expectError(parseCommand(`${typo} something`), new RegExp(`Did you mean \`/incident ${sub}\``));
    expect(e.message).toContain('/incident help');
  });
  it('no suggestion when nothing is close', () => {
    const e = expectError(parseCommand('xyzzy'), /Unknown subcommand `xyzzy`/, COMMAND_USAGE.help);
    expect(e.message).not.toMatch(/Did you mean/);
    expect(e.message).toContain('/incident help');
  });
  it('a bare severity suggests declare, a bare status suggests status', () => {
    expectError(parseCommand('sev1 db down'), /\/incident declare sev1/, COMMAND_USAGE.declare);
    expectError(parseCommand('resolved'), /\/incident status resolved/, COMMAND_USAGE.status);
  });
  it('prototype names are just unknown words', () => {
    for (const w of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(parseCommand(w).kind).toBe('error');
  });
});

describe('bounds', () => {
  it('refuses text over the limit and says the limit', () => {
    const e = expectError(parseCommand(`log ${'x'.repeat(MAX_COMMAND_LENGTH)}`), /40000/, COMMAND_USAGE.log);
    expect(e.message).toMatch(/40004/);
    expectError(parseCommand(' '.repeat(MAX_COMMAND_LENGTH + 1)), /40000/);
  });
  it('accepts a pasted stack trace far past 4000 characters, whole', () => {
    const trace = `Error: boom\n${'    at handler (/srv/app.js:1:1)\n'.repeat(160)}`;
    expect(trace.length).toBeGreaterThan(4900);
    expect(parseCommand(`log ${trace}`)).toEqual({ kind: 'log', text: trace.trim() });
  });
  it('accepts text at the limit', () => {
    const title = 'a'.repeat(MAX_COMMAND_LENGTH - 'declare '.length);
    expect(parseCommand(`declare ${title}`)).toEqual({ kind: 'declare', severity: 'SEV3', title });
  });
  it('echoed input is cut short', () => {
    const e = expectError(parseCommand(`${'q'.repeat(500)} x`), /Unknown subcommand/);
    expect(e.message.length).toBeLessThan(200);
  });
  it('non-string input does not throw', () => {
    expect(parseCommand(undefined as unknown as string)).toEqual({ kind: 'help' });
  });
});

describe('helpers', () => {
  it('parseSeverity', () => {
    expect(parseSeverity('sev2')).toBe('SEV2');
    expect(parseSeverity('SEV5')).toBeUndefined();
    expect(parseSeverity('2')).toBeUndefined();
  });
  it('isCalendarDate', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2100-02-29')).toBe(false);
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-12-31')).toBe(true);
  });
});

describe('properties', () => {
  const valid = (r: ParseResult) => {
    expect(typeof r.kind).toBe('string');
    if (isCommandError(r)) {
      expect(r.message.length).toBeGreaterThan(0);
      expect(r.usage).toMatch(/^\/incident /);
    }
  };
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (s) => valid(parseCommand(s))), { numRuns: 2000 });
    fc.assert(fc.property(fc.fullUnicodeString({ maxLength: 300 }), (s) => valid(parseCommand(s))), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ minLength: 3000, maxLength: 6000 }), (s) => valid(parseCommand(s))), { numRuns: 50 });
  });
  it('never throws on arbitrary text after every subcommand', () => {
    const subs = Object.keys(COMMAND_USAGE).concat(['sev', 'action done', 'new']);
    fc.assert(fc.property(fc.constantFrom(...subs), fc.fullUnicodeString({ maxLength: 200 }), (sub, s) => valid(parseCommand(`${sub} ${s}`))), { numRuns: 2000 });
  });
  const word = fc.stringMatching(/^[A-Za-z0-9.,'!?éü-]{1,12}$/).filter((w) => !/^(?:sev[-_]?\d*|p\d+)$/i.test(w));
  it('declare title round-trips through whitespace collapsing', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.array(word, { minLength: 1, maxLength: 20 }),
      fc.array(fc.constantFrom(' ', '  ', '\t', '\n'), { minLength: 20, maxLength: 20 }),
      (n, words, gaps) => {
        const text = words.map((w, i) => w + (gaps[i] ?? ' ')).join('');
        expect(parseCommand(`declare sev${n} ${text}`)).toEqual({ kind: 'declare', severity: `SEV${n}`, title: words.join(' ') });
      },
    ));
  });
  it('subcommands and severities are case-insensitive', () => {
    // [command, how many leading words are keywords]; titles and mentions keep their case.
    const cmds: Array<[string, number]> = [
      ['declare sev2 Api down', 2], ['severity sev1', 2], ['status monitoring', 2], ['role comms <@U1>', 2],
      ['snooze 15m', 2], ['action done a-2', 3], ['timeline', 1], ['list', 1], ['sev p3', 2],
    ];
    fc.assert(fc.property(fc.constantFrom(...cmds), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), ([cmd, keywords], flips) => {
      let k = 0;
      const flip = (w: string) => [...w].map((c) => (flips[k++ % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');
      const mixed = cmd.split(' ').map((w, i) => (i < keywords ? flip(w) : w)).join(' ');
      const want = parseCommand(cmd);
      expect(want.kind).not.toBe('error');
      expect(parseCommand(mixed)).toEqual(want);
    }));
  });
});

describe('the generic parser over the actions\' subcommands', () => {
  const ping = { name: 'ping', words: ['ping'], usage: '/incident ping', parse: () => ({ kind: 'help' as const }) };

  it('refuses two subcommands that claim the same word or name', () => {
    expect(() => new CommandParser([ping, { ...ping, name: 'pong' }])).toThrow(/word ping/);
    expect(() => new CommandParser([ping, { ...ping, words: ['pong'] }])).toThrow(/named ping/);
  });

  it('picks up a subcommand from its declaration alone: its word, typo hints and usage', () => {
    const p = new CommandParser([ping]);
    expect(p.parse('PING')).toEqual({ kind: 'help' });
    expect(p.parse('pnig')).toEqual({ kind: 'error', message: expect.stringMatching(/Did you mean `\/incident ping`/), usage: '/incident ping' });
  });
});
