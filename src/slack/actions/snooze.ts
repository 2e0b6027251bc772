/** `/incident snooze`: postpone the next update reminder. */
import { show, subcommand } from '../../domain/command-parser.js';
import { parseDuration } from '../../domain/duration.js';
import { snooze } from '../../app/post-update.js';
import { snoozedReply } from '../blocks/replies.js';
import { slackAction } from './action.js';

/** Longest snooze, so a reminder can never be silenced for days by a typo. */
export const MAX_SNOOZE_MS = 24 * 3_600_000;

/** `/incident snooze <duration>`, at most 24h. */
const snoozeTyped = subcommand({
  name: 'snooze',
  words: ['snooze'],
  usage: '/incident snooze <duration>',
  parse: (rest, _tokens, p) => {
    if (!rest) return p.fail('snooze', 'Say for how long, e.g. `/incident snooze 30m`.');
    if (rest.trim().toLowerCase() === 'off') return p.fail('snooze', 'Snooze needs a duration such as 30m; `off` is not one (reminders stop when the incident is resolved).');
    const ms = parseDuration(rest, false);
    if (ms === undefined || ms === null) return p.fail('snooze', `Bad duration ${show(rest)}: write it like 30s, 15m, 1h.`);
    if (ms > MAX_SNOOZE_MS) return p.fail('snooze', 'A snooze can last at most 24h.');
    return { kind: 'snooze', durationMs: ms };
  },
});

/** The snooze action. */
export const snoozeAction = slackAction({
  typed: [snoozeTyped],
  help: [[snoozeTyped.usage, 'postpone the next update reminder, e.g. `30m` (at most 24h)']],
  commands: { snooze: { where: 'incident', run: async (cmd, { l, incident, user }) => snoozedReply(incident.id, await snooze(l.deps, incident.id, cmd.durationMs, user)) } },
});
