import { describe, expect, it } from 'vitest';
import { isCommandError } from '../../../src/domain/command.js';
import { BUTTONS, COMMAND_KINDS, commandSurface, parseCommand, SHORTCUTS, VIEWS } from '../../../src/slack/actions/registry.js';
import { ACTION, SHORTCUT } from '../../../src/slack/ids.js';

// The forms' callback_ids, literally: Slack apps and the acceptance suite know them by these.
const FORMS = ['declare_incident_modal', 'status_update_modal', 'assign_role_modal', 'change_severity_modal', 'add_action_modal', 'resolve_modal', 'statuspage_modal'];

// A typed command of every kind (each module's own kinds are checked by the compiler against its commands; this checks the wiring).
const TYPED = [
  '', 'declare', 'declare sev2 Api down', 'list', 'role ic <@U1>', 'roles', 'log x', 'update x', 'update', 'severity sev1', 'status monitoring',
  'resolve', 'close', 'action x', 'action done A-1', 'actions', 'timeline', 'snooze 5m', 'postmortem', 'page', 'statuspage resolved x', 'statuspage',
];

describe('the action registry', () => {
  it('has an action for every subcommand the parser produces', () => {
    const parsed = TYPED.map((t) => parseCommand(t));
    expect(parsed.filter(isCommandError)).toEqual([]);
    expect(parsed.map((c) => c.kind).filter((k) => !commandSurface(k))).toEqual([]);
  });

  it('has a handler for every button, form and message shortcut the bot offers, and nothing else', () => {
    expect([...BUTTONS.keys()].sort()).toEqual(Object.values(ACTION).sort());
    expect([...VIEWS.keys()].sort()).toEqual([...FORMS].sort());
    expect([...SHORTCUTS.keys()].sort()).toEqual(Object.values(SHORTCUT).sort());
  });

  it('acts on an incident only from its channel, except for the commands meant for anywhere', () => {
    const anywhere = COMMAND_KINDS.filter((k) => commandSurface(k)?.where === 'anywhere').sort();
    expect(anywhere).toEqual(['declare', 'declare_modal', 'help', 'list']);
  });
});
