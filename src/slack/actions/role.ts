/** Assigning a role: typed, or from the summary's button and its form. */
import { NOT_A_MENTION, show, subcommand } from '../../domain/command-parser.js';
import { ROLE_NAMES, type Role } from '../../domain/incident.js';
import { parseUserMention } from '../../domain/text.js';
import { assignRole } from '../../app/assign-role.js';
import { parseRoleSubmission, roleModal } from '../blocks/modals.js';
import { roleAssignedReply } from '../blocks/replies.js';
import { ACTION, VIEW } from '../ids.js';
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
  views: { [VIEW.role]: incidentForm(parseRoleSubmission, (l, id, input, user, key) => assignRole(l.deps, id, input.role, input.userId, user, key)) },
});
