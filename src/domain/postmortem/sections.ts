/** The postmortem draft's sections, each built from one shared context: what the record says, sorted, escaped and measured once. */
import {
  ROLES,
  ROLE_NAMES,
  SEVERITY_DESCRIPTIONS,
  actionRef,
  incidentRef,
  isRaise,
  severityRank,
  type ActionItem,
  type Incident,
  type RoleAssignment,
  type StatusUpdate,
  type TimelineEntry,
} from '../incident.js';
import { EMPTY_CELL, escapeBlock, escapeInline, escapeInlineParts, fencedBlock, headingText, link, normalizeText, safeUrl, table } from '../markdown.js';
import {
  KIND_LABELS,
  MAX_DATE_MS,
  MINUTE,
  STATUS_LABELS,
  bullets,
  compareStrings,
  elapsed,
  since,
  utc,
  utcDate,
} from './format.js';
import { plural, utcMinute } from '../text.js';
import type { PostmortemInput, SeverityChange } from './input.js';
import { mermaidGantt, phaseSpans } from './phases.js';
import { serviceKey } from './related.js';
import { slackToParts, slackToPlain } from './slack-markup.js';

/** An IC assigned faster than this is called out under What Went Well. */
const FAST_IC_MS = 5 * MINUTE;
/** An IC assigned this late (or never) is called out under What Went Poorly. */
const SLOW_IC_MS = 15 * MINUTE;

const TIMELINE_HEADER = ['Time (UTC)', 'Event', 'Who', 'Details'];
const ACTION_HEADER = ['Ref', 'Action', 'Owner', 'Due', 'Status'];

/** What every section reads: the input sorted, escaped helpers (cached), and the figures several sections repeat. */
export interface DraftContext {
  input: PostmortemInput;
  inc: Incident;
  generatedAt: number;
  ref: string;
  /** Raw (unescaped) display name of a user. */
  rawName: (id: string) => string;
  /** Escaped display name of a user. */
  who: (id: string | null) => string;
  /** Escaped inline form of text written in Slack. */
  text: (s: string | null | undefined) => string;
  /** utcMinute, cached by the minute. */
  minute: (ms: number) => string;
  timeline: TimelineEntry[];
  updates: StatusUpdate[];
  actions: ActionItem[];
  openActions: ActionItem[];
  roles: RoleAssignment[];
  sevChanges: SeverityChange[];
  participants: string[];
  timeToIc: number | null;
  mitigatedAt: number | null;
  severityText: string;
  durationText: string;
  servicesText: string;
  channelText: string;
}

/** Builds the shared context of one draft. */
export function draftContext(input: PostmortemInput): DraftContext {
  const { incident: inc, generatedAt } = input;
  const names = input.userNames ?? {};
  const nameCache = new Map<string, string>();
  const rawName = (id: string): string => {
    const n = Object.hasOwn(names, id) ? names[id] : undefined;
    return typeof n === 'string' && normalizeText(n) !== '' ? n : `@${id}`;
  };
  const who = (id: string | null): string => {
    if (id === null) return EMPTY_CELL;
    let cached = nameCache.get(id);
    if (cached === undefined) {
      cached = escapeInline(rawName(id)) || EMPTY_CELL;
      nameCache.set(id, cached);
    }
    return cached;
  };
  const text = (s: string | null | undefined): string => (s ? escapeInlineParts(slackToParts(s, rawName)) : '');

  const minuteCache = new Map<number, string>();
  const minute = (ms: number): string => {
    // Outside Date's range a time is `unknown` even when its minute's start is not; those skip the cache.
    if (!(Math.abs(ms) <= MAX_DATE_MS)) return utcMinute(ms);
    // Date truncates a fractional time toward zero before flooring to the minute; so does the key.
    const key = Math.floor(Math.trunc(ms) / MINUTE);
    let cached = minuteCache.get(key);
    if (cached === undefined) {
      cached = utcMinute(ms);
      minuteCache.set(key, cached);
    }
    return cached;
  };
  const timeline = [...input.timeline].sort((a, b) => a.at - b.at || a.id - b.id);
  const updates = [...input.updates].sort((a, b) => a.at - b.at || a.id - b.id);
  const actions = [...input.actions].sort((a, b) => a.seq - b.seq || a.id - b.id);
  const roles = [...input.roles].sort(
    (a, b) =>
      ROLES.indexOf(a.role) - ROLES.indexOf(b.role) ||
      a.assignedAt - b.assignedAt ||
      compareStrings(a.userId, b.userId) ||
      (a.endedAt ?? Infinity) - (b.endedAt ?? Infinity) ||
      compareStrings(a.assignedBy, b.assignedBy),
  );
  const sevChanges = [...input.severityChanges].sort(
    (a, b) =>
      a.at - b.at ||
      severityRank(a.from) - severityRank(b.from) ||
      severityRank(a.to) - severityRank(b.to) ||
      compareStrings(a.by ?? '', b.by ?? ''),
  );
  const services = inc.services.map((s) => escapeInline(s)).filter((s) => s !== '');
  const firstIc = roles.find((r) => r.role === 'ic');
  const endedAt = inc.resolvedAt ?? inc.closedAt;
  const channelName = inc.channelName === null ? '' : normalizeText(inc.channelName);
  return {
    input, inc, generatedAt, ref: incidentRef(inc.id), rawName, who, text, minute, timeline, updates, actions, roles, sevChanges,
    openActions: actions.filter((a) => a.status !== 'done'),
    participants: [...new Set(input.participants)],
    timeToIc: firstIc ? Math.max(0, firstIc.assignedAt - inc.declaredAt) : null,
    mitigatedAt: inc.monitoringAt ?? inc.resolvedAt,
    severityText: `${escapeInline(inc.severity)} (${escapeInline(SEVERITY_DESCRIPTIONS[inc.severity] ?? '')})`,
    durationText: endedAt !== null
      ? `${since(inc.declaredAt, endedAt)} (declared → ${inc.resolvedAt !== null ? 'resolved' : 'closed'})`
      : `ongoing, ${since(inc.declaredAt, generatedAt)} so far`,
    servicesText: services.length > 0 ? services.join(', ') : '_TODO: list the affected services._',
    channelText: channelName === '' && inc.channelId === null
      ? 'none'
      : inc.channelId === null
        ? `#${escapeInline(channelName)}`
        : link(`#${channelName || inc.channelId}`, `https://slack.com/app_redirect?channel=${encodeURIComponent(inc.channelId)}`),
  };
}

/** A section: the Markdown blocks it adds (empty strings are dropped). */
export type Section = (c: DraftContext) => string[];

/** Title and preamble. */
export const preamble: Section = ({ inc, ref, generatedAt, rawName }) => {
  const title = headingText(slackToPlain(inc.title, rawName));
  return [
    title === '' ? `# ${ref} Postmortem` : `# ${ref} Postmortem: ${title}`,
    'Status: Draft',
    `> Generated by the incident bot on ${utc(generatedAt)} from the incident record; all times are UTC. ` +
      'The facts below come from the incident channel. Replace every _TODO_ with the team\'s analysis, and keep it blameless: ' +
      'ask how the system allowed this to happen, not who caused it.',
  ];
};

/** Incident Summary. */
export const incidentSummary: Section = (c) => {
  const { inc, who, text, sevChanges, participants } = c;
  const at = (ms: number | null): string => (ms === null ? 'not yet' : utc(ms));
  const severityChangesText = sevChanges
    .map((s) => `${escapeInline(s.from)} → ${escapeInline(s.to)} at ${utc(s.at)}${s.by === null ? '' : ` by ${who(s.by)}`}`)
    .join('; ');
  const summaryItems = [
    `**Reference:** ${c.ref}`,
    `**Title:** ${text(inc.title) || EMPTY_CELL}`,
    `**Severity:** ${c.severityText}`,
    ...(sevChanges.length > 0 ? [`**Severity changes:** ${severityChangesText}`] : []),
    `**Status:** ${STATUS_LABELS[inc.status] ?? escapeInline(inc.status)}`,
    `**Declared:** ${utc(inc.declaredAt)} by ${who(inc.declaredBy)}`,
    `**Mitigated:** ${at(c.mitigatedAt)}`,
    `**Resolved:** ${at(inc.resolvedAt)}`,
    `**Closed:** ${at(inc.closedAt)}`,
    `**Duration:** ${c.durationText}`,
    `**Affected services:** ${c.servicesText}`,
    `**Slack channel:** ${c.channelText}`,
    `**Participants:** ${participants.length > 0 ? participants.map((p) => who(p)).join(', ') : 'none recorded'}`,
    `**Resolution:** ${text(inc.resolution) || '_TODO: describe how the incident was resolved._'}`,
  ];
  return [
    '## Incident Summary',
    escapeBlock(inc.summary, text) || '_TODO: summarize what happened, who was affected and how it was fixed, in two or three sentences._',
    bullets(summaryItems, ''),
  ];
};

/** Roles, with their history. */
export const roleTable: Section = ({ roles, who }) => {
  const roleRows: string[][] = [];
  for (const role of ROLES) {
    const held = roles.filter((r) => r.role === role);
    if (held.length === 0) roleRows.push([ROLE_NAMES[role], '_not assigned_', EMPTY_CELL, EMPTY_CELL, EMPTY_CELL]);
    for (const r of held) {
      roleRows.push([ROLE_NAMES[role], who(r.userId), utcMinute(r.assignedAt), r.endedAt === null ? 'current' : utcMinute(r.endedAt), who(r.assignedBy)]);
    }
  }
  return ['### Roles', table(['Role', 'Holder', 'From (UTC)', 'Until (UTC)', 'Assigned by'], roleRows).join('\n')];
};

/** Key Metrics. */
export const keyMetrics: Section = ({ inc, timeToIc, mitigatedAt, updates, sevChanges, actions, openActions, timeline }) => [
  '## Key Metrics',
  table(
    ['Metric', 'Value'],
    [
      ['Time to assign an Incident Commander', timeToIc === null ? 'not assigned' : elapsed(timeToIc)],
      ['Time to mitigate (declared → monitoring)', mitigatedAt === null ? 'not yet mitigated' : since(inc.declaredAt, mitigatedAt)],
      ['Time to resolve (declared → resolved)', inc.resolvedAt === null ? 'not yet resolved' : since(inc.declaredAt, inc.resolvedAt)],
      ['Status updates posted', String(updates.length)],
      ['Missed status updates', String(inc.missedUpdates)],
      ['Severity changes', String(sevChanges.length)],
      ['Action items', `${actions.length} (${openActions.length} open)`],
      ['Timeline entries', String(timeline.length)],
    ],
  ).join('\n'),
];

/** Timeline: phases (diagram and table), then every event. */
export const timelineSection: Section = ({ inc, generatedAt, ref, timeline, text, who, minute }) => {
  const phases = phaseSpans(inc, generatedAt);
  // Built row by row into one string (not through table() and a join, which copies every row twice) to keep
  // 10,000-entry timelines cheap.
  let events = table(TIMELINE_HEADER, []).join('\n');
  for (const e of timeline) {
    let details = text(e.text);
    const url = e.permalink === null ? null : safeUrl(e.permalink);
    if (url !== null) details = details === '' ? `[message](${url})` : `${details} ([message](${url}))`;
    events += `\n| ${minute(e.at)} | ${KIND_LABELS[e.kind] ?? (escapeInline(e.kind) || EMPTY_CELL)} | ${who(e.actor)} | ${details || EMPTY_CELL} |`;
  }
  return [
    '## Timeline',
    '### Phases',
    fencedBlock('mermaid', mermaidGantt(ref, phases)),
    table(
      ['Phase', 'Started (UTC)', 'Ended (UTC)', 'Duration'],
      phases.map((p) => [p.label, utcMinute(p.start), p.ongoing ? 'ongoing' : utcMinute(p.end), since(p.start, p.end)]),
    ).join('\n'),
    '### Events',
    timeline.length === 0 ? 'No timeline entries were recorded.' : events,
  ];
};

/** Root Cause Analysis: Five Whys and contributing factors (recurrence when related incidents were found). */
export const rootCause: Section = ({ input, inc, text }) => {
  const resolution = text(inc.resolution);
  const contributing: string[] = [];
  if (input.related.length > 0) {
    contributing.push(
      `Recurrence: ${plural(input.related.length, 'earlier incident')} shared services or a similar title (see Related Incidents). Did an earlier fix or follow-up fall short?`,
    );
  }
  contributing.push('_TODO: list the conditions that made this possible or worse; there are usually several, each fixable on its own._');
  return [
    '## Root Cause Analysis',
    '_TODO: state the root cause in two or three sentences once the Five Whys below are answered._',
    resolution === '' ? '' : `**Resolution recorded during the incident:** ${resolution}`,
    '### Five Whys',
    'Start from the customer-visible problem and keep asking why until the answer is a gap in a system or a process, not a person.',
    `**Problem:** ${text(inc.title) || '_TODO: the customer-visible problem._'}`,
    [
      '1. **Why?** _TODO: the direct technical cause._',
      '2. **Why?** _TODO: why that cause could happen._',
      '3. **Why?** _TODO: answer._',
      '4. **Why?** _TODO: answer._',
      '5. **Why?** _TODO: the underlying gap in design, tooling or process._',
    ].join('\n'),
    '**Root cause:** _TODO: the answer to the last why._',
    '### Contributing Factors',
    bullets(contributing, ''),
  ];
};

/** Impact, with the status updates posted. */
export const impact: Section = ({ updates, who, text, durationText, severityText, servicesText }) => {
  const updateItems = updates.map(
    (u) => `${utc(u.at)}, ${who(u.author)} (${STATUS_LABELS[u.status] ?? escapeInline(u.status)}, ${escapeInline(u.severity)}): ${text(u.text) || EMPTY_CELL}`,
  );
  return [
    '## Impact',
    bullets(
      [
        `**Duration:** ${durationText}`,
        `**Severity:** ${severityText}`,
        `**Affected services:** ${servicesText}`,
        '**Impact window:** _TODO: when customers were first and last affected (impact often starts before the declaration)._',
        '**Customer impact:** _TODO: who was affected, how many, and what they saw._',
        '**Business impact:** _TODO: revenue, SLA or contractual impact, if any._',
        '**Data loss or security exposure:** _TODO: describe it, or write "none"._',
      ],
      '',
    ),
    '### Status Updates',
    bullets(updateItems, 'No status updates were posted during the incident.'),
  ];
};

/** What Went Well / Poorly, seeded from the record (IC assignment time, update cadence, severity raises). */
export const wellAndPoorly: Section = ({ inc, timeToIc, updates, sevChanges }) => {
  const well: string[] = [];
  const poorly: string[] = [];
  if (timeToIc !== null && timeToIc < FAST_IC_MS) {
    well.push(`An Incident Commander was assigned ${timeToIc < 1000 ? 'at declaration' : `within ${elapsed(timeToIc)} of declaration`}.`);
  } else if (timeToIc !== null && timeToIc >= SLOW_IC_MS) {
    poorly.push(`It took ${elapsed(timeToIc)} to assign an Incident Commander.`);
  } else if (timeToIc === null) {
    poorly.push('No Incident Commander was assigned.');
  }
  if (updates.length > 0 && inc.missedUpdates === 0) {
    well.push(`Status updates kept to cadence: ${plural(updates.length, 'update')} posted, none missed.`);
  }
  if (inc.missedUpdates > 0) {
    poorly.push(`${plural(inc.missedUpdates, 'status update was', 'status updates were')} missed (the reminder fired and no update followed in time).`);
  }
  if (updates.length === 0) poorly.push('No status updates were posted.');
  for (const c of sevChanges.filter((s) => isRaise(s.from, s.to))) {
    poorly.push(`Severity was raised from ${escapeInline(c.from)} to ${escapeInline(c.to)} ${since(inc.declaredAt, c.at)} after declaration. Was the impact hard to see at first?`);
  }
  well.push('_TODO: what helped (tools, runbooks, people, luck)?_');
  poorly.push('_TODO: what slowed the response or made it harder?_');
  return ['## What Went Well', bullets(well, ''), '## What Went Poorly', bullets(poorly, '')];
};

/** Action Items. */
export const actionItems: Section = ({ actions, who, text, input }) => {
  const actionRows = actions.map((a) => [
    actionRef(a.seq),
    text(a.text) || EMPTY_CELL,
    a.owner === null ? EMPTY_CELL : who(a.owner),
    a.dueDate === null ? EMPTY_CELL : escapeInline(a.dueDate) || EMPTY_CELL,
    (a.status === 'done' ? (a.doneAt === null ? 'Done' : `Done (${utcDate(a.doneAt)})`) : 'Open') + issueLink(input.issueUrls?.[a.id]),
  ]);
  return [
    '## Action Items',
    actions.length === 0
      ? 'No action items were recorded during the incident. _TODO: add follow-ups here or with `/incident action`._'
      : table(ACTION_HEADER, actionRows).join('\n'),
  ];
};

/** Lessons Learned and Prevention Measures. */
export const lessons: Section = ({ openActions }) => [
  '## Lessons Learned',
  bullets(
    [
      '**Technical:** _TODO: what did we learn about our systems?_',
      '**Process:** _TODO: what did we learn about how we detect and respond?_',
      '**Organizational:** _TODO: what did we learn about ownership, staffing or communication?_',
    ],
    '',
  ),
  '## Prevention Measures',
  bullets(
    [
      ...(openActions.length > 0
        ? [`Open action items to finish: ${openActions.map((a) => actionRef(a.seq)).join(', ')}. Check that together they address the root cause.`]
        : []),
      '**Short-term:** _TODO: guards to add now (alerts, limits, rollbacks)._',
      '**Medium-term:** _TODO: fixes that need planning (tests, runbooks, capacity)._',
      '**Long-term:** _TODO: design changes that remove this class of failure._',
    ],
    '',
  ),
];

/** Related Incidents, saying why each is related. */
export const relatedIncidents: Section = ({ input, inc, text }) => {
  const ownServices = new Set(inc.services.map(serviceKey));
  const relatedItems = input.related.map((r) => {
    const shared = r.services.filter((s) => ownServices.has(serviceKey(s))).map((s) => escapeInline(s)).filter((s) => s !== '');
    const why = shared.length > 0 ? `shared services: ${[...new Set(shared)].join(', ')}` : 'similar title';
    return `${incidentRef(r.id)}: ${text(r.title) || EMPTY_CELL} (${escapeInline(r.severity)}, declared ${utcDate(r.declaredAt)}, ${STATUS_LABELS[r.status] ?? escapeInline(r.status)}); ${why}`;
  });
  return ['## Related Incidents', bullets(relatedItems, 'None found.')];
};

/** Appendix: channel, sources, generation time. */
export const appendix: Section = ({ inc, channelText, timeline, updates, actions, roles, generatedAt }) => [
  '## Appendix',
  bullets(
    [
      `**Incident channel:** ${channelText}${inc.channelId === null ? '' : ` (${escapeInline(inc.channelId) || EMPTY_CELL})`}`,
      '**Dashboards and graphs:** _TODO: link the graphs that show the impact and the recovery._',
      `**Source:** ${plural(timeline.length, 'timeline entry', 'timeline entries')}, ${plural(updates.length, 'status update')}, ${plural(actions.length, 'action item')}, ${plural(roles.length, 'role assignment')}.`,
      `**Generated:** ${utc(generatedAt)} by the incident bot.`,
    ],
    '',
  ),
];

/** The sections in document order. */
export const SECTIONS: readonly Section[] = [preamble, incidentSummary, roleTable, keyMetrics, timelineSection, rootCause, impact, wellAndPoorly, actionItems, lessons, relatedIncidents, appendix];

/** ` ([issue](url))` for an action item tracked on GitHub; only plain https URLs, so a table cell cannot be broken out of. */
function issueLink(url: string | undefined): string {
  return url && /^https:\/\/[^\s()|<>\[\]]+$/.test(url) ? ` ([issue](${url}))` : '';
}
