/** When Slack refused an incident's channel: try again, or cancel the incident (buttons on that prompt). */
import { cancelIncident, retryChannel } from '../../app/declare-incident.js';
import { cancelledReply, retryingChannelReply } from '../blocks/replies.js';
import { ACTION } from '../ids.js';
import { idFromValue } from '../listeners/incident-of.js';
import { refusalReplacesOriginal } from '../listeners/refusals.js';
import { slackAction } from './action.js';
import { lostTrackUnless } from './surfaces.js';

/** The retry and cancel buttons; committed before the ack, the answer replaces the prompt. */
export const channelRefusedAction = slackAction({
  buttons: {
    [ACTION.retryChannel]: async ({ ack, action, body, context, respond }, l) => {
      refusalReplacesOriginal(context);
      const id = lostTrackUnless(idFromValue(action.value));
      // The link, or the refusal, follows to whoever pressed.
      await retryChannel(l.deps, id, body.user.id, body.response_url ?? null);
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: true, text: retryingChannelReply(id) }).catch(() => undefined);
    },
    [ACTION.cancelIncident]: async ({ ack, action, body, context, respond }, l) => {
      refusalReplacesOriginal(context);
      const id = lostTrackUnless(idFromValue(action.value));
      await cancelIncident(l.deps, id, body.user.id);
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: true, text: cancelledReply(id) }).catch(() => undefined);
    },
  },
});
