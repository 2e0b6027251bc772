/** Postmortem drafts: a Markdown document built from what the bot recorded about an incident, and the search for related incidents. */
import type { PostmortemInput } from './input.js';
import { SECTIONS, draftContext } from './sections.js';

export type { PostmortemInput, RelatedCandidate, RelatedIncident, SeverityChange } from './input.js';
export { RELATED_TITLE_SIMILARITY, findRelated, titleSimilarity, titleTokens } from './related.js';
export { slackToParts, slackToPlain } from './slack-markup.js';

/** Renders the postmortem draft for an incident as markdownlint-clean GitHub-flavoured Markdown ending in one newline. */
export function renderPostmortem(input: PostmortemInput): string {
  const context = draftContext(input);
  const blocks: string[] = [];
  for (const section of SECTIONS) for (const b of section(context)) if (b !== '') blocks.push(b);
  return `${blocks.join('\n\n')}\n`;
}
