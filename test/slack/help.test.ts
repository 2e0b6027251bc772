import { describe, expect, it } from 'vitest';
import { isCommandError } from '../../src/domain/command.js';
import { helpText } from '../../src/domain/help.js';
import { COMMAND_USAGE, HELP_LINES, parseCommand } from '../../src/slack/actions/registry.js';
import { escapeMrkdwn } from '../../src/domain/text.js';

describe('help, from the lines each action declares', () => {
  const text = helpText(HELP_LINES);
  const lines = text.split('\n');
  it('every line is a command and what it does', () => {
    for (const line of lines) expect(line).toMatch(/^`\/incident[^`]*` — \S/);
  });
  it('lists every usage line, escaped so Slack shows <@user> literally', () => {
    for (const usage of Object.values(COMMAND_USAGE)) expect(text).toContain(`\`${escapeMrkdwn(usage)}\``);
    expect(text).not.toMatch(/[<>]/);
  });
  it('mentions the declare modal and every subcommand', () => {
    expect(lines.some((l) => l.startsWith('`/incident declare` —'))).toBe(true);
    for (const sub of ['list', 'role', 'roles', 'log', 'update', 'severity', 'status', 'resolve', 'close', 'action', 'actions', 'timeline', 'snooze', 'postmortem', 'help']) {
      expect(text).toContain(`/incident ${sub}`);
    }
  });
  it('every usage example parses to a command, not an unknown subcommand', () => {
    for (const [sub, usage] of Object.entries(COMMAND_USAGE)) {
      expect(usage.startsWith('/incident ')).toBe(true);
      const word = usage.split(' ')[1] ?? '';
      const r = parseCommand(word);
      if (isCommandError(r)) expect(r.message, sub).not.toMatch(/Unknown subcommand/);
    }
  });
});
