/** Result model of the benchmarks, the console table and RESULTS.md. */
import os from 'node:os';
import { fmtRatio } from './stats.js';

/** Whether a measured row met its target. `info` rows have no target of their own. */
export type Verdict = 'pass' | 'MISS' | 'info';

/** One line of the results table. */
export interface Row {
  metric: string;
  /** The measured value, formatted. */
  value: string;
  /** The floor or baseline measured in the same run, formatted (empty when none). */
  baseline: string;
  /** value / baseline, when both are numbers. */
  ratio: number | null;
  target: string;
  verdict: Verdict;
}

/** What one benchmark reports. */
export interface BenchResult {
  id: string;
  title: string;
  rows: Row[];
  /** How it was measured (one sentence per item). */
  method: string[];
  /** For each missed target: what missed, why, and what would close it. */
  misses: string[];
  /** Set when the benchmark could not finish. */
  error?: string;
  durationMs: number;
}

/** The machine the run happened on. */
export interface Machine {
  os: string;
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  date: string;
  /** 1-minute load average at the start of the run (other processes share the machine). */
  loadAtStart: number;
}

/** Describes this machine. */
export function machine(): Machine {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    date: new Date().toISOString(),
    loadAtStart: os.loadavg()[0] ?? 0,
  };
}

/** A verdict from a boolean. */
export function verdict(ok: boolean): Verdict {
  return ok ? 'pass' : 'MISS';
}

const HEAD = ['#', 'benchmark', 'metric', 'measured', 'floor / baseline', 'ratio', 'target', 'verdict'];

function cells(results: readonly BenchResult[]): string[][] {
  const out: string[][] = [];
  for (const r of results) {
    if (r.error) out.push([r.id, r.title, 'ERROR', r.error.slice(0, 120), '', '', '', 'ERROR']);
    r.rows.forEach((row, i) => {
      out.push([i === 0 ? r.id : '', i === 0 ? r.title : '', row.metric, row.value, row.baseline, fmtRatio(row.ratio), row.target, row.verdict]);
    });
  }
  return out;
}

/** The results as a fixed-width text table for the console. */
export function textTable(results: readonly BenchResult[]): string {
  const rows = [HEAD, ...cells(results)];
  const widths = HEAD.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(HEAD), rule, ...rows.slice(1).map(line)].join('\n');
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The whole RESULTS.md document. */
export function resultsMarkdown(results: readonly BenchResult[], m: Machine, totalMs: number, variability: readonly string[] = []): string {
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push('Written by `npm run bench` (`bench/run.ts`); every run overwrites this file with its own numbers.', '');
  out.push('Each figure is compared with a floor or baseline measured in the same run on the same machine, so the ratios matter more than the absolute times.', '');
  out.push('## Machine', '');
  out.push(`- OS: ${m.os}`, `- CPU: ${m.cpu}`, `- Cores: ${m.cores}`, `- Memory: ${m.memory}`, `- Node: ${m.node}`, `- Date: ${m.date}`, `- Whole run: ${(totalMs / 1000).toFixed(1)} s`,
    `- Load average (1 min) at start / end of the run: ${m.loadAtStart.toFixed(2)} / ${(os.loadavg()[0] ?? 0).toFixed(2)} on ${m.cores} cores${m.loadAtStart > m.cores / 2 ? ' — other processes were busy on this machine, so absolute times are inflated and noisy; the interleaved same-run baselines are meant to absorb that' : ''}`, '');
  const judged = results.flatMap((r) => r.rows).filter((r) => r.verdict !== 'info');
  const errors = results.filter((r) => r.error).length;
  out.push('## Results', '');
  out.push(`Targets met in this run: ${judged.filter((r) => r.verdict === 'pass').length} of ${judged.length}${errors ? `; ${errors} benchmark(s) could not finish` : ''}. Rows marked \`info\` have no target of their own.`, '');
  out.push(`| ${HEAD.join(' | ')} |`, `| ${HEAD.map(() => '---').join(' | ')} |`);
  for (const r of cells(results)) out.push(`| ${r.map(mdCell).join(' | ')} |`);
  out.push('');
  const missed = results.filter((r) => r.misses.length > 0 || r.error);
  out.push('## Missed targets', '');
  if (missed.length === 0) out.push('None in this run.', '');
  for (const r of missed) {
    out.push(`### ${r.id}. ${r.title}`, '');
    if (r.error) out.push(`- Could not finish: ${r.error}`);
    for (const x of r.misses) out.push(`- ${x}`);
    out.push('');
  }
  if (variability.length > 0) {
    out.push('## Run-to-run variability', '');
    for (const v of variability) out.push(`- ${v}`);
    out.push('');
  }
  out.push('## How each benchmark measures', '');
  for (const r of results) {
    out.push(`### ${r.id}. ${r.title} (${(r.durationMs / 1000).toFixed(1)} s)`, '');
    for (const x of r.method) out.push(`- ${x}`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
