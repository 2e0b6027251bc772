/** Adding a follow-up action item: typed, or from the summary's button and its form. */
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { isCalendarDate, NOT_A_MENTION, parseActionRef, show, subcommand } from '../../domain/command-parser.js';
import { incidentRef } from '../../domain/incident.js';
import { parseUserMention } from '../../domain/text.js';
import { addAction } from '../../app/action-items.js';
import { field, form } from '../blocks/form.js';
import { context, plain } from '../blocks/kit.js';
import { input, modal, textInput } from '../blocks/modal-kit.js';
import { actionAddedReply } from '../blocks/replies.js';
import { ACTION } from '../ids.js';
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

/** The add-action-item form's callback_id. */
export const ACTION_VIEW = 'add_action_modal';

/** The add-action-item form's inputs (block_id → action_id inside). */
export const ACTION_INPUT = {
  text: { block: 'action_text', action: 'action_text_input' },
  owner: { block: 'owner', action: 'owner_select' },
  due: { block: 'due', action: 'due_picker' },
} as const;

/** Longest action item text. */
export const ACTION_TEXT_MAX = 1000;

/** The add-action-item modal: text, optional owner and due date; private_metadata is the incident id. */
export function actionModal(incidentId: number): ModalView {
  return modal(ACTION_VIEW, 'Add action item', 'Add', String(incidentId), [
    context(`Follow-up for *${incidentRef(incidentId)}*.`),
    input(ACTION_INPUT.text, 'What needs doing', textInput(ACTION_INPUT.text, { max: ACTION_TEXT_MAX, multiline: true, placeholder: 'e.g. Add an alert on checkout error rate' })),
    input(ACTION_INPUT.owner, 'Owner', { type: 'users_select', action_id: ACTION_INPUT.owner.action, placeholder: plain('Pick an owner', 150) }, { optional: true }),
    input(ACTION_INPUT.due, 'Due date', { type: 'datepicker', action_id: ACTION_INPUT.due.action, placeholder: plain('Pick a date', 150) }, { optional: true }),
  ]);
}

/** Validates the add-action-item modal; the date must be a real YYYY-MM-DD date (one in the past is the use case's to refuse, shown on this field too). */
export const parseActionSubmission = form({
  text: field(ACTION_INPUT.text, 'text', z.string().trim().min(1, 'Say what needs doing.').max(ACTION_TEXT_MAX, `Keep this to ${ACTION_TEXT_MAX} characters.`)),
  ownerId: field(ACTION_INPUT.owner, 'user', z.string().nullable().transform((v) => v || null)),
  dueDate: field(ACTION_INPUT.due, 'date', z.string().nullable().transform((v) => v || null).refine((d) => d === null || isCalendarDate(d), 'Pick a real date (YYYY-MM-DD).')),
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
  views: { [ACTION_VIEW]: incidentForm(parseActionSubmission, (l, id, input, user, key) => addAction(l.deps, id, { text: input.text, ownerId: input.ownerId, dueDate: input.dueDate }, user, key)) },
});
