/** Declaring an incident: typed, from the form (command, button, message shortcut), and "declare anyway" after a near-duplicate warning. */
import { parseSeverity, SEVERITY_LOOKALIKE, show, collapse, subcommand } from '../../domain/command-parser.js';
import { UserError } from '../../app/context.js';
import { declareIncident } from '../../app/declare-incident.js';
import { incidentRef, type Severity } from '../../domain/incident.js';
import { declaringReply, nearDuplicateReply } from '../blocks/replies.js';
import { ACTION, SHORTCUT } from '../ids.js';
import type { ListenerDeps } from '../listeners/context.js';
import { refusalReplacesOriginal } from '../listeners/refusals.js';
import { type Reply, slackAction } from './action.js';
import { DECLARE_VIEW, declareModal, parseDeclareSubmission } from './declare-form.js';
import { openView, submitForm } from './surfaces.js';

/** `/incident declare [sev1-4] <title>` (alias `new`); no title opens the form. */
const declareTyped = subcommand({
  name: 'declare',
  words: ['declare', 'new'],
  usage: '/incident declare [sev1-4] <title>',
  parse: (rest, _tokens, p) => {
    if (!rest) return { kind: 'declare_modal' };
    const m = /^(\S+)\s*([\s\S]*)$/.exec(rest);
    const first = m?.[1] ?? '';
    const sev = parseSeverity(first);
    if (sev) {
      const title = collapse(m?.[2] ?? '');
      return title ? { kind: 'declare', severity: sev, title } : p.fail('declare', `A title is needed after ${sev}, e.g. \`/incident declare ${sev.toLowerCase()} Checkout is failing\`.`);
    }
    if (SEVERITY_LOOKALIKE.test(first)) return p.fail('declare', `Bad severity ${show(first)}: use sev1 (worst) to sev4, or p1 to p4.`);
    return { kind: 'declare', severity: 'SEV3', title: collapse(rest) };
  },
  // `/incident sev1 db down` forgot the word declare.
  guess: (word) => (parseSeverity(word) ? `/incident declare ${word.toLowerCase()} <title>` : undefined),
});

/** The declare action. */
export const declareAction = slackAction({
  typed: [declareTyped],
  help: [
    ['/incident declare', 'open the declare form (title, severity, summary, affected services); other commands are typed in the incident channel'],
    [declareTyped.usage, 'declare at once (SEV1 is the worst; default SEV3) and open its channel'],
  ],
  commands: {
    declare: {
      where: 'anywhere',
      run: async (cmd, { l, user, requestKey, command }) => {
        const result = await declareIncident(l.deps, {
          title: cmd.title, severity: cmd.severity, summary: '', services: [], userId: user,
          requestKey, responseUrl: command.response_url ?? null, guardNearDuplicate: true,
        });
        if (result.nearDuplicate) return nearDuplicateReply(result.nearDuplicate.incident, result.nearDuplicate.agoMs, result.nearDuplicate.anywayKey);
        if (!result.duplicate) l.logger.info({ incident: incidentRef(result.incident.id), severity: result.incident.severity, user }, 'incident declared');
        // Acknowledged straight after the commit: the link follows through response_url once the declarer is invited.
        return declaringReply(result.incident, false);
      },
    },
    declare_modal: { where: 'anywhere', run: async () => ({ modal: declareModal({}), typed: '`/incident declare [sev1-4] &lt;title&gt;`' }) },
  },
  buttons: {
    [ACTION.declare]: async ({ ack, body }, l) => {
      await ack();
      await openView(l.api, body.trigger_id, declareModal({}));
    },
    // A link button: Slack opens the channel itself and still sends the click, which only needs an ack.
    [ACTION.goToIncident]: async ({ ack }) => { await ack(); },
    [ACTION.declareAnyway]: async ({ ack, action, body, context, respond }, l) => {
      // Committed before the ack, so a crash after it loses nothing; the same button clicked twice declares once.
      refusalReplacesOriginal(context);
      const reply = await declareAnyway(l.deps, action.value ?? '', body.user.id, body.response_url ?? null);
      await ack();
      l.logger.info({ user: body.user.id }, 'declared anyway after a near-duplicate warning');
      await respond({ response_type: 'ephemeral', replace_original: true, ...reply }).catch(() => undefined);
    },
  },
  shortcuts: {
    // Declare from a message: the form opens prefilled with it. The trigger id expires in 3 s: the form opens first.
    [SHORTCUT.declare]: async ({ ack, shortcut }, l) => {
      await ack();
      await openView(l.api, shortcut.trigger_id, declareModal({ summary: shortcut.message.text ?? '' }));
    },
  },
  views: {
    [DECLARE_VIEW]: async ({ ack, body, view }, l) => {
      await submitForm(parseDeclareSubmission, view.state.values, async (input) => {
        // The view id is the same on a double submit, so the same modal never declares twice.
        const { incident, duplicate } = await declareIncident(l.deps, { ...input, userId: body.user.id, requestKey: `view:${view.id}`, responseUrl: null });
        if (incident && !duplicate) l.logger.info({ incident: incidentRef(incident.id), severity: incident.severity, user: body.user.id }, 'incident declared');
      });
      await ack();
    },
  },
});

/** Declares what a near-duplicate warning held back (kept under `anywayKey`). */
async function declareAnyway(deps: ListenerDeps['deps'], anywayKey: string, userId: string, responseUrl: string | null): Promise<Reply> {
  const held = anywayKey.startsWith('declare_anyway:') ? (await deps.store.requests.get(anywayKey)) as { title: string; severity: Severity; summary: string; services: string[] } | undefined : undefined;
  if (!held) throw new UserError('This warning is too old to declare from; type `/incident declare [sev1-4] <title>` again.');
  const result = await declareIncident(deps, { ...held, userId, requestKey: anywayKey, responseUrl });
  return declaringReply(result.incident!, false);
}
