import { describe, expect, it } from 'vitest';
import { isCommandError } from '../../src/domain/command.js';
import { BUTTONS, COMMAND_KINDS, commandSurface, parseCommand, SHORTCUTS, VIEWS } from '../../src/slack/actions/registry.js';
import { ACTION, SHORTCUT, VIEW } from '../../src/slack/ids.js';

// One typed command for every kind the parser produces: a kind no action answers, or one no text reaches, fails here.
const TYPED = [
  '', 'declare', 'declare sev2 Api down', 'list', 'role ic <@U1>', 'roles', 'log x', 'update x', 'update', 'severity sev1', 'status monitoring',
  'resolve', 'close', 'action x', 'action done A-1', 'actions', 'timeline', 'snooze 5m', 'postmortem', 'page', 'statuspage resolved x', 'statuspage',
];

describe('the action registry', () => {
  it('has an action for every subcommand the parser produces, and answers no kind the parser never gives', () => {
    const parsed = TYPED.map((t) => parseCommand(t));
    expect(parsed.filter(isCommandError)).toEqual([]);
    expect(parsed.map((c) => c.kind).filter((k) => !commandSurface(k))).toEqual([]);
    expect(new Set(parsed.map((c) => c.kind))).toEqual(new Set(COMMAND_KINDS));
  });

  it('has a handler for every button, form and message shortcut the bot offers, and nothing else', () => {
    expect([...BUTTONS.keys()].sort()).toEqual(Object.values(ACTION).sort());
    expect([...VIEWS.keys()].sort()).toEqual(Object.values(VIEW).sort());
    expect([...SHORTCUTS.keys()].sort()).toEqual(Object.values(SHORTCUT).sort());
  });

  it('acts on an incident only from its channel, except for the commands meant for anywhere', () => {
    const anywhere = COMMAND_KINDS.filter((k) => commandSurface(k)?.where === 'anywhere').sort();
    expect(anywhere).toEqual(['declare', 'declare_modal', 'help', 'list']);
  });
});
