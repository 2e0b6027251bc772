/** Adding a follow-up action item: typed, or from the summary's button and its form. */
import { isCalendarDate, NOT_A_MENTION, parseActionRef, show, subcommand } from '../../domain/command-parser.js';
import { parseUserMention } from '../../domain/text.js';
import { addAction } from '../../app/action-items.js';
import { actionModal, parseActionSubmission } from '../blocks/modals.js';
import { actionAddedReply } from '../blocks/replies.js';
import { ACTION, VIEW } from '../ids.js';
import { slackAction } from './action.js';
import { incidentForm, opensModal } from './surfaces.js';

/** `/incident action <text> [<@owner>] [due:YYYY-MM-DD]`; `action done A-<n>` is the done subcommand. */
const actionTyped = subcommand({
  name: 'action',
  words: ['action'],
  usage: '/incident action <text> [<@owner>] [due:YYYY-MM-DD]',
  parse: (_rest, tokens, p) => {
    const [first, second] = tokens;
    if (first === undefined) return p.fail('action', 'Say what needs doing.');
    if (first.toLowerCase() === 'done') return p.as('done', '', tokens.slice(1));
    if (tokens.length === 2 && second?.toLowerCase() === 'done' && parseActionRef(first) !== undefined) return p.as('done', '', [first]);
    if (tokens.length === 1 && parseActionRef(first) !== undefined) {
      return p.fail('done', `To mark ${show(first)} done, type \`/incident action done A-${parseActionRef(first)}\`.`);
    }
    let ownerId: string | null = null;
    let dueDate: string | null = null;
    const words: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i] ?? '';
      const mention = parseUserMention(tok);
      if (mention) {
        if (ownerId && ownerId !== mention) return p.fail('action', 'Name one owner per action item.');
        ownerId = mention;
        continue;
      }
      if (/^@\S/.test(tok)) return p.fail('action', `${show(tok)} is not a Slack mention: ${NOT_A_MENTION}.`);
      const due = /^due:(.*)$/i.exec(tok);
      if (due) {
        let date = due[1] ?? '';
        if (!date && tokens[i + 1] !== undefined) date = tokens[++i] ?? '';
        if (dueDate !== null) return p.fail('action', 'Give one due date per action item.');
        if (!isCalendarDate(date)) return p.fail('action', `${show(date || 'due:')} is not a real date: write due:YYYY-MM-DD, e.g. due:2026-03-31.`);
        dueDate = date;
        continue;
      }
      words.push(tok);
    }
    const text = words.join(' ');
    if (!text) return p.fail('action', 'Say what needs doing, not only who and when.');
    return { kind: 'action', text, ownerId, dueDate };
  },
});

/** The add-action-item action. */
export const addActionAction = slackAction({
  typed: [actionTyped],
  help: [[actionTyped.usage, 'add a follow-up action item']],
  commands: {
    action: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => actionAddedReply(incident.id, await addAction(l.deps, incident.id, { text: cmd.text, ownerId: cmd.ownerId, dueDate: cmd.dueDate }, user)),
    },
  },
  buttons: { [ACTION.addAction]: opensModal((incident) => actionModal(incident.id)) },
  views: { [VIEW.action]: incidentForm(parseActionSubmission, (l, id, input, user, key) => addAction(l.deps, id, { text: input.text, ownerId: input.ownerId, dueDate: input.dueDate }, user, key)) },
});
