import { describe, expect, it } from 'vitest';
import type { CommandKind } from '../../src/domain/command.js';
import { BUTTONS, commandSurface, SHORTCUTS, VIEWS } from '../../src/slack/actions/registry.js';
import { ACTION, SHORTCUT, VIEW } from '../../src/slack/ids.js';

// Every parsed kind, listed by hand: a kind the parser gains without an action module fails here.
const KINDS: Record<CommandKind, true> = {
  help: true, declare: true, declare_modal: true, list: true, role: true, roles: true, log: true, update: true, update_modal: true,
  severity: true, status: true, resolve: true, close: true, action: true, action_done: true, actions: true, timeline: true,
  snooze: true, postmortem: true, page: true, statuspage: true, statuspage_modal: true,
};

describe('the action registry', () => {
  it('has an action for every subcommand the parser produces', () => {
    const missing = (Object.keys(KINDS) as CommandKind[]).filter((k) => !commandSurface(k));
    expect(missing).toEqual([]);
  });

  it('has a handler for every button, form and message shortcut the bot offers, and nothing else', () => {
    expect([...BUTTONS.keys()].sort()).toEqual(Object.values(ACTION).sort());
    expect([...VIEWS.keys()].sort()).toEqual(Object.values(VIEW).sort());
    expect([...SHORTCUTS.keys()].sort()).toEqual(Object.values(SHORTCUT).sort());
  });

  it('acts on an incident only from its channel, except for the commands meant for anywhere', () => {
    const anywhere = (Object.keys(KINDS) as CommandKind[]).filter((k) => commandSurface(k)?.where === 'anywhere').sort();
    expect(anywhere).toEqual(['declare', 'declare_modal', 'help', 'list']);
  });
});
