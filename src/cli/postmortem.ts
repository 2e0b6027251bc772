/** `npm run postmortem -- INC-<n> [--out file]`: the postmortem draft from the database alone, for when Slack is what is down. */
import 'dotenv/config';
import fs from 'node:fs';
import { renderDraft } from '../app/postmortem.js';
import { openStoreFromEnv, runCli } from './open-store.js';
import { USAGE, parsePostmortemArgs } from './postmortem-args.js';
import { incidentRef } from '../domain/incident.js';

runCli(async () => {
  const args = parsePostmortemArgs(process.argv.slice(2));
  if ('help' in args) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if ('error' in args) {
    process.stderr.write(`${args.error}\n`);
    process.exitCode = 2;
    return;
  }
  const opened = await openStoreFromEnv(process.env);
  try {
    const markdown = await renderDraft(opened.store, args.id, Date.now());
    if (args.out) {
      fs.writeFileSync(args.out, markdown);
      process.stderr.write(`Wrote ${incidentRef(args.id)} postmortem draft to ${args.out}\n`);
    } else {
      process.stdout.write(markdown);
    }
  } finally {
    await opened.close();
  }
});
