/** `/incident status`: move the status forward. */
import { parseStatusWord, show, subcommand } from '../../domain/command-parser.js';
import { changeStatus } from '../../app/change-incident.js';
import { statusMovedReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** `/incident status <status>`; closing is its own command. */
const statusTyped = subcommand({
  name: 'status',
  words: ['status'],
  usage: '/incident status <investigating|identified|mitigating|monitoring|resolved>',
  parse: (_rest, tokens, p) => {
    const [word, extra] = tokens;
    if (word === undefined) return p.fail('status', 'Say the new status.');
    const lower = word.toLowerCase();
    if (lower === 'closed' || lower === 'close') return p.fail('close', 'Closing is its own command: use `/incident close` once the incident is resolved.');
    const to = parseStatusWord(lower);
    if (!to) return p.fail('status', `Unknown status ${show(word)}: use investigating, identified, mitigating, monitoring or resolved.`);
    if (extra !== undefined) return p.fail('status', 'Give just the status, nothing after it.');
    return { kind: 'status', status: to };
  },
  // `/incident resolved` forgot the word status.
  guess: (word) => {
    const to = parseStatusWord(word.toLowerCase());
    return to ? `/incident status ${to}` : undefined;
  },
});

/** The status action. */
export const statusAction = slackAction({
  typed: [statusTyped],
  help: [[statusTyped.usage, 'move the status forward']],
  commands: {
    status: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => statusMovedReply(incident.id, (await changeStatus(l.deps, incident.id, cmd.status, user)).from, cmd.status),
    },
  },
});
