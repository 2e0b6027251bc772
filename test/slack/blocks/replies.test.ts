import { HELP_LINES } from '../../../src/slack/actions/registry.js';
import { describe, expect, it } from 'vitest';
import {
  actionDoneReply, actionsReply, declaringReply, errorReply, helpReply, listReply, notInIncidentChannel, rolesReply, timelineReply,
} from '../../../src/slack/blocks/replies.js';
import { ACTION } from '../../../src/slack/ids.js';
import { actionItem, entry, HOUR, incident, MIN, role, T0, view } from './fixtures.js';
import { allText, markupProblems, messageProblems } from './limits.js';

const ok = (msg: { text: string; blocks: unknown[] }) => {
  expect(messageProblems(msg)).toEqual([]);
  expect(markupProblems(msg)).toEqual([]);
  return allText(msg);
};

describe('errorReply and helpReply', () => {
  it('says what was wrong and shows the right form, escaped', () => {
    const text = ok(errorReply('Unknown subcommand `<!channel>`.', '/incident role <ic|tech|comms> <@user>'));
    expect(text).toContain('Unknown subcommand `&lt;!channel&gt;`.');
    expect(text).toContain('Usage: `/incident role &lt;ic|tech|comms&gt; &lt;@user&gt;`');
  });

  it('keeps app-written user mentions live but nothing else', () => {
    const text = ok(errorReply('Only the Incident Commander <@U123> may close INC-4. Not <@U1|x> or <!here>.'));
    expect(text).toContain('<@U123> may close');
    expect(text).toContain('&lt;@U1|x&gt;');
    expect(text).toContain('&lt;!here&gt;');
    expect(text).toContain('/incident help');
  });

  it('help lists the commands', () => {
    const text = ok(helpReply(HELP_LINES));
    expect(text).toContain('/incident declare');
    expect(text).toContain('/incident timeline');
  });
});

describe('listReply', () => {
  it('says so when nothing is open', () => {
    expect(ok(listReply([], T0))).toContain('No open incidents.');
  });

  it('shows severity, status, age, IC and channel, most severe first', () => {
    const text = ok(listReply([
      view({ id: 1, severity: 'SEV3', channelId: 'C1' }),
      view({ id: 2, severity: 'SEV1', channelId: 'C2', title: '<!channel> db down' }, [role('ic', 'UIC')]),
    ], T0 + HOUR + 20 * MIN));
    expect(text.indexOf('INC-2')).toBeLessThan(text.indexOf('INC-1'));
    expect(text).toMatch(/INC-2 · SEV1\* — &lt;!channel&gt; db down\nInvestigating · declared 1h 20m ago · IC <@UIC> · <#C2>/);
    expect(text).toMatch(/INC-1 · SEV3[\s\S]*\*no IC\* · <#C1>/);
  });

  it('fits 50 blocks and says how many more', () => {
    const views = Array.from({ length: 120 }, (_, i) => view({ id: i + 1 }));
    const msg = listReply(views, T0);
    ok(msg);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    const shown = (allText(msg).match(/INC-\d+ ·/g) ?? []).length;
    expect(allText(msg)).toContain(`and ${120 - shown} more open incidents not shown`);
  });

  it('shows exactly 49 incidents without a "more" note', () => {
    const msg = listReply(Array.from({ length: 49 }, (_, i) => view({ id: i + 1 })), T0);
    expect(msg.blocks.length).toBe(50);
    expect(allText(msg)).not.toContain('more open');
  });
});

describe('rolesReply', () => {
  it('names holders and how to fill the empty roles', () => {
    const text = ok(rolesReply(view({}, [role('ic', 'UIC')])));
    expect(text).toMatch(/\*Incident Commander:\* <@UIC> \(since <!date\^\d+\^[^>]+>, assigned by <@UBOSS>\)/);
    expect(text).toContain('*Technical Lead:* _nobody_ — assign with `/incident role tech @someone`');
  });
});

describe('timelineReply', () => {
  it('lists entries oldest first with reader-local times', () => {
    const text = ok(timelineReply(incident(), [entry(2, { text: 'second' }), entry(1, { text: 'first <!channel> <@U2|bob> <#C9|ops> <!subteam^S1|@sre>', permalink: 'https://x.slack.com/archives/C1/p1?a=1&b=2' })]));
    expect(text.indexOf('first')).toBeLessThan(text.indexOf('second'));
    expect(text).toContain(`<!date^${Math.floor((T0 + MIN) / 1000)}^`);
    expect(text).toContain('first `@channel` <@U2> <#C9> `@sre`');
    expect(text).not.toMatch(/<!(?:channel|here|everyone|subteam)/);
    expect(text).toContain('<https://x.slack.com/archives/C1/p1?a=1&amp;b=2|(message)>');
    expect(text).toContain('<@UBOSS>: ');
  });

  it('says when the timeline is empty', () => {
    expect(ok(timelineReply(incident(), []))).toContain('No timeline entries yet');
  });

  it('when too long, shows the newest entries that fit and how many earlier ones were left out', () => {
    const entries = Array.from({ length: 400 }, (_, i) => entry(i + 1, { text: `e${i + 1} ${'x'.repeat(900)}` }));
    const msg = timelineReply(incident(), entries);
    const text = ok(msg);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(text).toContain('e400 ');
    const shown = new Set(text.match(/e\d+ /g));
    const left = 400 - shown.size;
    expect(left).toBeGreaterThan(0);
    expect(text).toContain(`${left} earlier entries left out`);
    expect(text).not.toContain('e1 ');
    const nums = [...shown].map((s) => Number(s.slice(1)));
    expect(Math.min(...nums)).toBe(left + 1);
  });
});

describe('actionsReply', () => {
  it('lists items in the order given with owner, due and status; open ones get a Mark done button', () => {
    const msg = actionsReply(incident(), [actionItem({ seq: 2, owner: null, dueDate: null }), actionItem({ seq: 1, status: 'done', doneAt: T0 })]);
    const text = ok(msg);
    expect(text.indexOf('*A-2*')).toBeLessThan(text.indexOf('*A-1*'));
    expect(text).toContain('no owner');
    expect(text).toContain('owner <@UOWNER>');
    expect(text).toContain('due 2026-12-01');
    const json = JSON.stringify(msg.blocks);
    expect(json).toContain(`"action_id":"${ACTION.actionDone}","value":"42:2"`);
    expect(json).not.toContain('"value":"42:1"');
  });

  it('flags overdue items and counts them', () => {
    const msg = actionsReply(incident(), [actionItem({ seq: 3 }), actionItem({ seq: 4 })], new Set([3]));
    const text = ok(msg);
    expect(text).toMatch(/\*A-3\* · :warning: \*overdue\*/);
    expect(text).toMatch(/\*A-4\* · :white_large_square: open/);
    expect(msg.text).toContain('1 overdue');
  });

  it('empty list explains how to add one', () => {
    expect(ok(actionsReply(incident(), []))).toContain('/incident action &lt;text&gt;');
  });

  it('fits 50 blocks', () => {
    const msg = actionsReply(incident(), Array.from({ length: 80 }, (_, i) => actionItem({ seq: i + 1 })));
    ok(msg);
    expect(allText(msg)).toMatch(/and \d+ more items not shown/);
  });
});

describe('other replies', () => {
  it('notInIncidentChannel explains where to type and how to find the channel', () => {
    const text = ok(notInIncidentChannel());
    expect(text).toContain("typed in that incident's channel");
    expect(text).toContain('`/incident list`');
  });

  it('declaringReply links the channel when ready', () => {
    expect(ok(declaringReply(incident(), true))).toContain('<#C0INC42>');
    const pending = ok(declaringReply(incident({ channelId: null }), false));
    expect(pending).toContain('*INC-42*');
    expect(pending).toContain('being created');
  });
});

describe('actionDoneReply', () => {
  it('says the same from the command and the button: which item of which incident', () => {
    expect(actionDoneReply(7, 3)).toEqual({ text: 'A-3 of INC-7 marked done.' });
  });
});
