/**
 * `npm run soak`: the crash-point sweep over every Slack call of the scripted incident (issue 12), then the random-instant
 * variant with two kill -9 per run. Prints the figures; they are kept by hand in bench/RESULTS.md.
 * `SOAK_RANDOM_RUNS` (default 20) sets how many random runs; `SOAK_SKIP_SWEEP=1` skips the full sweep.
 */
import { differences, runScriptedIncident } from '../test/e2e/crash-script.js';

async function main(): Promise<void> {
  const t0 = performance.now();
  const clean = await runScriptedIncident();
  console.log(`crash-free run: ${clean.calls.length} Slack calls, ${(clean.ms / 1000).toFixed(1)} s; stuck rows: ${clean.state.stuck.length}`);
  const bad: string[] = [];
  let points = 0;
  if (!process.env.SOAK_SKIP_SWEEP) {
    for (let k = 0; k < clean.calls.length; k++) {
      const run = await runScriptedIncident({ atCalls: [k] });
      points++;
      const d = differences(clean.state, run.state);
      const ok = !d.lost.length && !d.duplicated.length && !d.other.length;
      console.log(`point ${k} (${clean.calls[k]}): ${ok ? 'ok' : `FAIL ${JSON.stringify(d)}`}`);
      if (!ok) bad.push(`point ${k}`);
    }
  }
  const runs = Number(process.env.SOAK_RANDOM_RUNS ?? 20);
  let lost = 0;
  let duplicated = 0;
  let other = 0;
  let killed = 0;
  for (let i = 0; i < runs; i++) {
    // Two kills at random instants within the crash-free run's length.
    // Within the first 80 % of the crash-free run's length, so both land while the script still runs.
    const atMs = [Math.random() * 0.8 * clean.ms, Math.random() * 0.8 * clean.ms].sort((a, b) => a - b);
    const run = await runScriptedIncident({ atMs });
    killed += run.kills;
    const d = differences(clean.state, run.state);
    lost += d.lost.length;
    duplicated += d.duplicated.length;
    other += d.other.length;
    console.log(`random run ${i + 1}: kills at ${atMs.map((ms) => Math.round(ms)).join(', ')} ms (${run.kills} done): lost ${d.lost.length}, duplicated ${d.duplicated.length}, other ${d.other.length}${d.lost.length + d.duplicated.length + d.other.length ? ` ${JSON.stringify(d)}` : ''}`);
  }
  console.log(`\nsweep: ${points} crash points, ${points - bad.length} in the crash-free state${bad.length ? ` (failed: ${bad.join(', ')})` : ''}`);
  console.log(`random: ${runs} runs, ${killed} kills (of ${2 * runs} planned), ${lost} lost items, ${duplicated} duplicated items, ${other} other differences`);
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (bad.length || lost || duplicated || other) process.exitCode = 1;
}

void main();
