import type { MethodHandler } from '../method-context.js';
import { chatMethods } from './chat.js';
import { conversationMethods } from './conversations.js';
import { fileMethods } from './files.js';
import { pinAndReactionMethods } from './pins-reactions.js';
import { userMethods } from './users.js';
import { viewMethods } from './views.js';

/** Every Web API method the emulator implements with real semantics. */
export const METHOD_HANDLERS: Readonly<Record<string, MethodHandler>> = {
  ...userMethods,
  ...conversationMethods,
  ...chatMethods,
  ...pinAndReactionMethods,
  ...viewMethods,
  ...fileMethods,
};
