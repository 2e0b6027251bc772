import { describe, expect, it } from 'vitest';
import { parseRoleSubmission, ROLE_INPUT as INPUT, roleModal } from '../../../src/slack/actions/role.js';
import { viewProblems } from '../blocks/limits.js';
import { inputBlock, merge, sel } from './submission.js';

describe('the assign-role form', () => {
  it('role modal: role select and users select; parse', () => {
    const v = roleModal(42, 'comms');
    expect(viewProblems(v)).toEqual([]);
    expect(v.private_metadata).toBe('42');
    expect(inputBlock(v, INPUT.user.block).element.type).toBe('users_select');
    expect(inputBlock(v, INPUT.role.block).element.initial_option.value).toBe('comms');
    expect(parseRoleSubmission(merge(sel(INPUT.role, 'ic'), { [INPUT.user.block]: { [INPUT.user.action]: { type: 'users_select', selected_user: 'U9' } } })))
      .toEqual({ ok: true, role: 'ic', userId: 'U9' });
    const bad = parseRoleSubmission(sel(INPUT.role, 'boss'));
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual([INPUT.role.block, INPUT.user.block].sort());
  });
});
