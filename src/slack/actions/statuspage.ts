/** Publishing to the public status page: typed, or from the form (command without text, summary button). */
import { show, subcommand } from '../../domain/command-parser.js';
import { parsePublicStatus } from '../../domain/statuspage.js';
import { UserError } from '../../app/context.js';
import { statuspageFormOf } from '../../app/queries.js';
import { publishStatus } from '../../app/statuspage.js';
import type { Incident } from '../../domain/incident.js';
import { PUBLIC_STATUS_LABELS } from '../../domain/statuspage.js';
import { statuspagePublishingReply } from '../blocks/replies.js';
import { ACTION } from '../ids.js';
import type { ListenerDeps } from '../listeners/context.js';
import { slackAction } from './action.js';
import { parseStatuspageSubmission, STATUSPAGE_VIEW, statuspageModal } from './statuspage-form.js';
import { incidentForm, opensModal } from './surfaces.js';

const form = async (incident: Incident, l: ListenerDeps) => statuspageModal(incident, await statuspageFormOf(l.deps.store, incident.id));

/** `/incident statuspage <status> <message>` (alias `status-page`); no text opens the form. */
const statuspageTyped = subcommand({
  name: 'statuspage',
  words: ['statuspage', 'status-page'],
  usage: '/incident statuspage <investigating|identified|monitoring|resolved> <message>',
  parse: (rest, _tokens, p) => {
    if (!rest) return { kind: 'statuspage_modal' };
    const m = /^(\S+)\s*([\s\S]*)$/.exec(rest);
    const word = m?.[1] ?? '';
    const status = parsePublicStatus(word);
    if (!status) return p.fail('statuspage', `${show(word)} is not a status page status: use investigating, identified, monitoring or resolved.`);
    const message = (m?.[2] ?? '').trim();
    if (!message) return p.fail('statuspage', `Say what the status page should tell customers, e.g. \`/incident statuspage ${status} We are looking into failed checkouts.\``);
    return { kind: 'statuspage', status, message };
  },
});

/** The statuspage action. */
export const statuspageAction = slackAction({
  typed: [statuspageTyped],
  help: [[statuspageTyped.usage, 'publish to the public status page (Communications Lead or IC; no text opens the form)']],
  commands: {
    statuspage: {
      where: 'incident',
      run: async (cmd, { l, incident, user }) => {
        await publishStatus(l.deps, incident.id, { status: cmd.status, message: cmd.message }, user);
        return statuspagePublishingReply(PUBLIC_STATUS_LABELS[cmd.status]);
      },
    },
    statuspage_modal: {
      where: 'incident',
      run: async (_cmd, { l, incident }) => {
        if (!l.deps.policy.statuspage) throw new UserError('No status page is connected: set STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID to publish from here.');
        return { modal: await form(incident, l), typed: '`/incident statuspage &lt;status&gt; &lt;message&gt;`' };
      },
    },
  },
  buttons: { [ACTION.statuspage]: opensModal(form) },
  views: { [STATUSPAGE_VIEW]: incidentForm(parseStatuspageSubmission, (l, id, input, user, key) => publishStatus(l.deps, id, input, user, key)) },
});
