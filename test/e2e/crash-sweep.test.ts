/**
 * Issue 12, the proof: the scripted incident, killed with kill -9 at Slack calls (after Slack applied the call, before the bot
 * read the answer) and restarted, ends in the crash-free state: 0 lost, 0 duplicated, nothing stuck. `npm test` runs a
 * deterministic stride of the crash points (CRASH_SWEEP_STRIDE, default 6 on SQLite and 12 on PostgreSQL, whose runs are
 * slower: a different sample of the same points, so the two stores together still cover many); `npm run soak` runs all of them.
 */
import { describe, expect, it } from 'vitest';
import { differences, runScriptedIncident } from './crash-script.js';

const STRIDE = Math.max(1, Number(process.env.CRASH_SWEEP_STRIDE ?? (process.env.E2E_STORE === 'postgres' ? 12 : 6)));

describe('crash-point sweep', () => {
  it('every swept crash point ends in the crash-free state: nothing lost, nothing duplicated, nothing stuck', async () => {
    const [clean, again] = await Promise.all([runScriptedIncident(), runScriptedIncident()]);
    expect(clean.state.stuck).toEqual([]);
    expect(clean.calls.length).toBeGreaterThan(25);
    // A second crash-free run must agree with the first, or the comparison below would prove nothing.
    expect(differences(clean.state, again.state)).toEqual({ lost: [], duplicated: [], other: [] });

    // Each run has its own emulator, proxy, port and database, and mostly waits on its bot process: two at a time.
    const points: number[] = [];
    for (let k = 1; k < clean.calls.length; k += STRIDE) points.push(k);
    const failures: string[] = [];
    let swept = 0;
    const sweep = async () => {
      for (let k = points.shift(); k !== undefined; k = points.shift()) {
        const run = await runScriptedIncident({ atCalls: [k] });
        swept++;
        expect(run.kills).toBe(1);
        const d = differences(clean.state, run.state);
        if (d.lost.length || d.duplicated.length || d.other.length) failures.push(`kill at call ${k} (${run.calls[k]}): ${JSON.stringify(d, null, 1)}`);
      }
    };
    await Promise.all([sweep(), sweep()]);
    expect(swept).toBeGreaterThan(3);
    expect(failures).toEqual([]);
  }, 600_000);
});
