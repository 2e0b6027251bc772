/** `npm run postmortem -- INC-<n> [--out file]`: the postmortem draft from the database alone, for when Slack is what is down. */
import 'dotenv/config';
import fs from 'node:fs';
import { UserError } from '../app/context.js';
import { renderDraft } from '../app/postmortem.js';
import { openStoreFromEnv } from './open-store.js';
import { parseArgs } from './postmortem-args.js';


async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if ('error' in args) {
    process.stderr.write(`${args.error}\n`);
    process.exit(2);
  }
  const opened = await openStoreFromEnv(process.env);
  try {
    const markdown = await renderDraft(opened.store, args.id, Date.now());
    if (args.out) {
      fs.writeFileSync(args.out, markdown);
      process.stderr.write(`Wrote INC-${args.id} postmortem draft to ${args.out}\n`);
    } else {
      process.stdout.write(markdown);
    }
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  } finally {
    await opened.close();
  }
}

void main();
