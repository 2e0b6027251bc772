/** Assigning a role: typed, or from the summary's button and its form. */
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { NOT_A_MENTION, show, subcommand } from '../../domain/command-parser.js';
import { incidentRef, ROLE_NAMES, ROLES, type Role } from '../../domain/incident.js';
import { parseUserMention } from '../../domain/text.js';
import { assignRole } from '../../app/assign-role.js';
import { field, form } from '../blocks/form.js';
import { context, plain } from '../blocks/kit.js';
import { input, modal, opt } from '../blocks/modal-kit.js';
import { roleAssignedReply } from '../blocks/replies.js';
import { ACTION } from '../ids.js';
import { slackAction } from './action.js';
import { incidentForm, opensModal } from './surfaces.js';

const ROLE_ALIASES = new Map<string, Role>([
  ['ic', 'ic'], ['commander', 'ic'], ['incident_commander', 'ic'], ['incident-commander', 'ic'],
  ['tech', 'tech'], ['technical', 'tech'], ['tech_lead', 'tech'], ['tech-lead', 'tech'], ['tl', 'tech'],
  ['comms', 'comms'], ['communications', 'comms'], ['comms_lead', 'comms'], ['comms-lead', 'comms'], ['cl', 'comms'],
]);

/** `/incident role <ic|tech|comms> <@user>` (alias `assign`), role and person in either order. */
const roleTyped = subcommand({
  name: 'role',
  words: ['role', 'assign'],
  usage: '/incident role <ic|tech|comms> <@user>',
  parse: (_rest, tokens, p) => {
    const at = tokens.findIndex((t) => ROLE_ALIASES.has(t.toLowerCase()));
    if (tokens.length === 0) return p.fail('role', 'Say which role and who should hold it.');
    const roleName = at < 0 ? undefined : ROLE_ALIASES.get((tokens[at] ?? '').toLowerCase());
    if (!roleName) {
      const guess = tokens.find((t) => !t.startsWith('<') && !t.startsWith('@'));
      return p.fail('role', guess
        ? `Unknown role ${show(guess)}: use ic (Incident Commander), tech (Technical Lead) or comms (Communications Lead).`
        : 'Say which role: ic (Incident Commander), tech (Technical Lead) or comms (Communications Lead).');
    }
    const others = tokens.filter((_, i) => i !== at);
    const who = others[0];
    if (who === undefined) return p.fail('role', `Say who should be ${ROLE_NAMES[roleName]}: ${NOT_A_MENTION}.`);
    if (others.length > 1) return p.fail('role', 'Name exactly one person per role.');
    const userId = parseUserMention(who);
    if (!userId) return p.fail('role', `${show(who)} is not a Slack mention: ${NOT_A_MENTION}.`);
    return { kind: 'role', role: roleName, userId };
  },
});

/** The assign-role form's callback_id. */
export const ROLE_VIEW = 'assign_role_modal';

/** The assign-role form's inputs (block_id → action_id inside). */
export const ROLE_INPUT = {
  role: { block: 'role', action: 'role_select' },
  user: { block: 'user', action: 'user_select' },
} as const;

/** The assign-role modal: which role and who; private_metadata is the incident id. */
export function roleModal(incidentId: number, role?: Role): ModalView {
  const options = ROLES.map((r) => opt(ROLE_NAMES[r], r));
  const initial = role ? options[ROLES.indexOf(role)] : undefined;
  return modal(ROLE_VIEW, 'Assign role', 'Assign', String(incidentId), [
    context(`*${incidentRef(incidentId)}*: the person is invited to the channel and told their duties.`),
    input(ROLE_INPUT.role, 'Role', { type: 'static_select', action_id: ROLE_INPUT.role.action, options, placeholder: plain('Pick a role', 150), ...(initial ? { initial_option: initial } : {}) }),
    input(ROLE_INPUT.user, 'Person', { type: 'users_select', action_id: ROLE_INPUT.user.action, placeholder: plain('Pick a person', 150) }),
  ]);
}

/** Validates the assign-role modal. */
export const parseRoleSubmission = form({
  role: field(ROLE_INPUT.role, 'option', z.enum(ROLES, { error: 'Pick a role: Incident Commander, Technical Lead or Communications Lead.' })),
  userId: field(ROLE_INPUT.user, 'user', z.string({ error: 'Pick the person who takes the role.' }).min(1, 'Pick the person who takes the role.')),
});

/** The role action. */
export const roleAction = slackAction({
  typed: [roleTyped],
  help: [[roleTyped.usage, 'assign the Incident Commander, Technical Lead or Communications Lead (pick the person from the autocomplete)']],
  commands: {
    role: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => roleAssignedReply(incident.id, cmd.role, cmd.userId, await assignRole(l.deps, incident.id, cmd.role, cmd.userId, user)),
    },
  },
  buttons: { [ACTION.assignRole]: opensModal((incident) => roleModal(incident.id)) },
  views: { [ROLE_VIEW]: incidentForm(parseRoleSubmission, (l, id, input, user, key) => assignRole(l.deps, id, input.role, input.userId, user, key)) },
});
