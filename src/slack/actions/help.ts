/** `/incident help` (and an empty `/incident`): the command list. */
import { helpReply } from '../blocks/replies.js';
import { type Reply, slackAction } from './action.js';

// The help reply never changes: built once (it is only read, never modified).
let help: Reply | undefined;

/** The help action. */
export const helpAction = slackAction({
  commands: { help: { where: 'anywhere', run: async () => (help ??= helpReply()) } },
});
