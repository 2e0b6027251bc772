/** The response phases an incident went through, as a table's rows and a Mermaid gantt chart. */
import type { Incident, Status } from '../incident.js';
import { pad2, utcMinute } from '../text.js';
import { MINUTE, STATUS_LABELS } from './format.js';

/** One response phase and the time it covered. */
export interface PhaseSpan {
  label: string;
  key: Status;
  start: number;
  end: number;
  ongoing: boolean;
}

/** The phases the incident reached (investigating from declaration on), each until the next phase or resolution (or now). */
export function phaseSpans(inc: Incident, now: number): PhaseSpan[] {
  const starts: { key: Status; at: number | null }[] = [
    { key: 'investigating', at: inc.declaredAt },
    { key: 'identified', at: inc.identifiedAt },
    { key: 'mitigating', at: inc.mitigatingAt },
    { key: 'monitoring', at: inc.monitoringAt },
  ];
  const reached = starts.filter((s): s is { key: Status; at: number } => s.at !== null && Number.isFinite(s.at));
  reached.sort((a, b) => a.at - b.at); // stable: equal times keep lifecycle order
  const finalEnd = inc.resolvedAt ?? inc.closedAt;
  const last = finalEnd ?? now;
  return reached.map((s, i) => {
    const next = reached[i + 1];
    const end = Math.max(s.at, next ? next.at : last);
    return { label: STATUS_LABELS[s.key], key: s.key, start: s.at, end, ongoing: !next && finalEnd === null };
  });
}

/** `2026-11-22 23:01:05`: a UTC wall-clock time for Mermaid, or null outside Date's range. */
function mermaidTime(ms: number): string | null {
  const d = new Date(Math.round(ms));
  if (Number.isNaN(d.getTime())) return null;
  return `${utcMinute(ms)}:${pad2(d.getUTCSeconds())}`;
}

// Mermaid parses gantt dates with dayjs in the reader's local zone and draws the axis in that zone too. Epoch
// dates (`dateFormat x`) are absolute, so the chart showed local times beside tables that say UTC. A format
// without a zone and UTC wall-clock strings are read as those same wall-clock times anywhere, so chart and
// tables agree.
/** A Mermaid gantt chart (UTC wall-clock dates) with one bar per phase. */
export function mermaidGantt(ref: string, phases: readonly PhaseSpan[]): string {
  const bars = phases.flatMap((p) => {
    const start = mermaidTime(p.start);
    const end = mermaidTime(p.end);
    return start === null || end === null ? [] : [`    ${p.label} :${p.key}, ${start}, ${end}`];
  });
  const first = phases[0];
  const lastPhase = phases[phases.length - 1];
  const span = first && lastPhase ? lastPhase.end - first.start : 0;
  return [
    'gantt',
    `    title ${ref} response phases (UTC)`,
    '    dateFormat YYYY-MM-DD HH:mm:ss',
    `    axisFormat ${span > 36 * 60 * MINUTE ? '%m-%d %H:%M' : '%H:%M'}`,
    '    section Status',
    ...bars,
  ].join('\n');
}
