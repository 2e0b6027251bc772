import { describe, expect, it } from 'vitest';
import { homeView } from '../../../src/slack/blocks/home.js';
import { ACTION } from '../../../src/slack/ids.js';
import { HOUR, role, T0, view } from './fixtures.js';
import { allText, markupProblems, viewProblems } from './limits.js';

describe('homeView', () => {
  it('has a Declare incident button and lists open incidents', () => {
    const v = homeView([view({ title: '<!channel> db down' }, [role('ic', 'UIC')])], T0 + 2 * HOUR);
    expect(v.type).toBe('home');
    expect(viewProblems(v)).toEqual([]);
    expect(markupProblems(v)).toEqual([]);
    expect(JSON.stringify(v.blocks)).toContain(`"action_id":"${ACTION.declare}"`);
    const text = allText(v);
    expect(text).toContain('Declare incident');
    expect(text).toContain('INC-42 · SEV2');
    expect(text).toContain('&lt;!channel&gt; db down');
    expect(text).toContain('Investigating · declared 2h ago · IC <@UIC> · <#C0INC42>');
  });

  it('says when nothing is open', () => {
    expect(allText(homeView([], T0))).toContain('No open incidents');
  });

  it('stays within 100 blocks and says how many more', () => {
    const v = homeView(Array.from({ length: 250 }, (_, i) => view({ id: i + 1 })), T0);
    expect(viewProblems(v)).toEqual([]);
    expect(v.blocks.length).toBe(100);
    const shown = (allText(v).match(/INC-\d+ ·/g) ?? []).length;
    expect(allText(v)).toContain(`and ${250 - shown} more open incidents not shown`);
  });
});
