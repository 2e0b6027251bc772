/** Postmortem drafts: a Markdown document built from what the bot recorded about an incident, and the search for related incidents. */
import { formatDuration } from './duration.js';
import {
  ROLES,
  ROLE_NAMES,
  SEVERITIES,
  SEVERITY_DESCRIPTIONS,
  actionRef,
  incidentRef,
  type ActionItem,
  type Incident,
  type RoleAssignment,
  type Severity,
  type Status,
  type StatusUpdate,
  type TimelineEntry,
  type TimelineKind,
} from './incident.js';
import {
  EMPTY_CELL,
  escapeBlock,
  escapeInline,
  escapeInlineParts,
  fencedBlock,
  headingText,
  link,
  normalizeText,
  safeUrl,
  table,
  type InlinePart,
} from './markdown.js';

/** A severity change as recorded: when, from what, to what, and by whom (null when the bot did it). */
export interface SeverityChange {
  at: number;
  from: Severity;
  to: Severity;
  by: string | null;
}

/** What the related-incident search needs to know about an incident. */
export type RelatedCandidate = Pick<Incident, 'id' | 'title' | 'services' | 'declaredAt'>;

/** An earlier incident as listed under Related Incidents. */
export type RelatedIncident = Pick<Incident, 'id' | 'title' | 'severity' | 'status' | 'declaredAt' | 'services'>;

/** Everything a postmortem draft is built from; collections may come in any order, time comes in as generatedAt. */
export interface PostmortemInput {
  incident: Incident;
  /** Full role history, any order. */
  roles: RoleAssignment[];
  /** Timeline entries, any order. */
  timeline: TimelineEntry[];
  updates: StatusUpdate[];
  actions: ActionItem[];
  severityChanges: SeverityChange[];
  /** Slack user ids. */
  participants: string[];
  /** Earlier incidents, already chosen and ranked (see findRelated). */
  related: RelatedIncident[];
  /** Optional Slack user id → display name; without one a user shows as `@U123`. */
  userNames?: Record<string, string>;
  generatedAt: number;
}

const MINUTE = 60_000;
/** The largest distance from the epoch a Date can hold (ms). */
const MAX_DATE_MS = 8.64e15;
/** An IC assigned faster than this is called out under What Went Well. */
const FAST_IC_MS = 5 * MINUTE;
/** An IC assigned this late (or never) is called out under What Went Poorly. */
const SLOW_IC_MS = 15 * MINUTE;

const KIND_LABELS: Record<TimelineKind, string> = {
  alert: 'Alert',
  page: 'Page',
  declared: 'Declared',
  role: 'Role change',
  severity: 'Severity change',
  status: 'Status change',
  update: 'Status update',
  action: 'Action item',
  action_done: 'Action done',
  resolved: 'Resolved',
  closed: 'Closed',
  log: 'Log',
  message: 'Pinned message',
  reminder: 'Reminder',
  postmortem: 'Postmortem',
};

const STATUS_LABELS: Record<Status, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  mitigating: 'Mitigating',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  closed: 'Closed',
};

const TIMELINE_HEADER = ['Time (UTC)', 'Event', 'Who', 'Details'];
const ACTION_HEADER = ['Ref', 'Action', 'Owner', 'Due', 'Status'];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `2026-11-22 23:01` for an epoch-ms time (UTC), or `unknown` when it is not a valid time. */
function utcMinute(ms: number): string {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) return 'unknown';
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** `2026-11-22 23:01 UTC`. */
function utc(ms: number): string {
  const s = utcMinute(ms);
  return s === 'unknown' ? s : `${s} UTC`;
}

/** `2026-11-22`. */
function utcDate(ms: number): string {
  return utcMinute(ms).slice(0, 10);
}

/** A non-negative elapsed time in words: `0s`, `45s`, `1h 14m`. */
function elapsed(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  return ms < 1000 ? '0s' : formatDuration(ms);
}

function since(from: number, to: number): string {
  return elapsed(Math.max(0, to - from));
}

function severityRank(s: Severity): number {
  const i = SEVERITIES.indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A bulleted list, or the fallback line when there is nothing to list. */
function bullets(items: readonly string[], fallback: string): string {
  return items.length === 0 ? fallback : items.map((i) => `- ${i}`).join('\n');
}

/** Renders the postmortem draft for an incident as markdownlint-clean GitHub-flavoured Markdown ending in one newline. */
export function renderPostmortem(input: PostmortemInput): string {
  const { incident: inc, generatedAt } = input;
  const names = input.userNames ?? {};
  const nameCache = new Map<string, string>();

  /** Raw (unescaped) display name of a user. */
  const rawName = (id: string): string => {
    const n = Object.hasOwn(names, id) ? names[id] : undefined;
    return typeof n === 'string' && normalizeText(n) !== '' ? n : `@${id}`;
  };
  /** Escaped display name of a user. */
  const who = (id: string | null): string => {
    if (id === null) return EMPTY_CELL;
    let cached = nameCache.get(id);
    if (cached === undefined) {
      cached = escapeInline(rawName(id)) || EMPTY_CELL;
      nameCache.set(id, cached);
    }
    return cached;
  };
  /** Escaped inline form of text written in Slack. */
  const text = (s: string | null | undefined): string => (s ? escapeInlineParts(slackToParts(s, rawName)) : '');

  const minuteCache = new Map<number, string>();
  /** utcMinute, cached by the minute (not the millisecond): timeline entries often share a minute. */
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
  const ref = incidentRef(inc.id);
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
  const participants = [...new Set(input.participants)];
  const services = inc.services.map((s) => escapeInline(s)).filter((s) => s !== '');

  const firstIc = roles.find((r) => r.role === 'ic');
  const timeToIc = firstIc ? Math.max(0, firstIc.assignedAt - inc.declaredAt) : null;
  const mitigatedAt = inc.monitoringAt ?? inc.resolvedAt;
  const endedAt = inc.resolvedAt ?? inc.closedAt;
  const openActions = actions.filter((a) => a.status !== 'done');
  const severityText = `${escapeInline(inc.severity)} (${escapeInline(SEVERITY_DESCRIPTIONS[inc.severity] ?? '')})`;
  const durationText = endedAt !== null
    ? `${since(inc.declaredAt, endedAt)} (declared → ${inc.resolvedAt !== null ? 'resolved' : 'closed'})`
    : `ongoing, ${since(inc.declaredAt, generatedAt)} so far`;
  const servicesText = services.length > 0 ? services.join(', ') : '_TODO: list the affected services._';
  const at = (ms: number | null): string => (ms === null ? 'not yet' : utc(ms));
  const channelName = inc.channelName === null ? '' : normalizeText(inc.channelName);
  const channelText = channelName === '' && inc.channelId === null
    ? 'none'
    : inc.channelId === null
      ? `#${escapeInline(channelName)}`
      : link(`#${channelName || inc.channelId}`, `https://slack.com/app_redirect?channel=${encodeURIComponent(inc.channelId)}`);

  const blocks: string[] = [];
  const push = (...b: string[]): void => {
    for (const x of b) if (x !== '') blocks.push(x);
  };

  // Title and preamble.
  const title = headingText(slackToPlain(inc.title, rawName));
  push(
    title === '' ? `# ${ref} Postmortem` : `# ${ref} Postmortem: ${title}`,
    'Status: Draft',
    `> Generated by the incident bot on ${utc(generatedAt)} from the incident record; all times are UTC. ` +
      'The facts below come from the incident channel. Replace every _TODO_ with the team\'s analysis, and keep it blameless: ' +
      'ask how the system allowed this to happen, not who caused it.',
  );

  // Incident Summary.
  const summary = escapeBlock(inc.summary, text);
  const severityChangesText = sevChanges
    .map((c) => `${escapeInline(c.from)} → ${escapeInline(c.to)} at ${utc(c.at)}${c.by === null ? '' : ` by ${who(c.by)}`}`)
    .join('; ');
  const summaryItems = [
    `**Reference:** ${ref}`,
    `**Title:** ${text(inc.title) || EMPTY_CELL}`,
    `**Severity:** ${severityText}`,
    ...(sevChanges.length > 0 ? [`**Severity changes:** ${severityChangesText}`] : []),
    `**Status:** ${STATUS_LABELS[inc.status] ?? escapeInline(inc.status)}`,
    `**Declared:** ${utc(inc.declaredAt)} by ${who(inc.declaredBy)}`,
    `**Mitigated:** ${at(mitigatedAt)}`,
    `**Resolved:** ${at(inc.resolvedAt)}`,
    `**Closed:** ${at(inc.closedAt)}`,
    `**Duration:** ${durationText}`,
    `**Affected services:** ${servicesText}`,
    `**Slack channel:** ${channelText}`,
    `**Participants:** ${participants.length > 0 ? participants.map((p) => who(p)).join(', ') : 'none recorded'}`,
    `**Resolution:** ${text(inc.resolution) || '_TODO: describe how the incident was resolved._'}`,
  ];
  push(
    '## Incident Summary',
    summary || '_TODO: summarize what happened, who was affected and how it was fixed, in two or three sentences._',
    bullets(summaryItems, ''),
  );

  // Roles.
  const roleRows: string[][] = [];
  for (const role of ROLES) {
    const held = roles.filter((r) => r.role === role);
    if (held.length === 0) roleRows.push([ROLE_NAMES[role], '_not assigned_', EMPTY_CELL, EMPTY_CELL, EMPTY_CELL]);
    for (const r of held) {
      roleRows.push([
        ROLE_NAMES[role],
        who(r.userId),
        utcMinute(r.assignedAt),
        r.endedAt === null ? 'current' : utcMinute(r.endedAt),
        who(r.assignedBy),
      ]);
    }
  }
  push('### Roles', table(['Role', 'Holder', 'From (UTC)', 'Until (UTC)', 'Assigned by'], roleRows).join('\n'));

  // Key Metrics.
  push(
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
  );

  // Timeline: phases (diagram and table), then every event.
  const phases = phaseSpans(inc, generatedAt);
  push(
    '## Timeline',
    '### Phases',
    fencedBlock('mermaid', mermaidGantt(ref, phases)),
    table(
      ['Phase', 'Started (UTC)', 'Ended (UTC)', 'Duration'],
      phases.map((p) => [p.label, utcMinute(p.start), p.ongoing ? 'ongoing' : utcMinute(p.end), since(p.start, p.end)]),
    ).join('\n'),
  );
  // Built row by row into one string (not through table() and a join, which copies every row twice) to keep
  // 10,000-entry timelines cheap.
  let events = table(TIMELINE_HEADER, []).join('\n');
  for (const e of timeline) {
    let details = text(e.text);
    const url = e.permalink === null ? null : safeUrl(e.permalink);
    if (url !== null) details = details === '' ? `[message](${url})` : `${details} ([message](${url}))`;
    events += `\n| ${minute(e.at)} | ${KIND_LABELS[e.kind] ?? (escapeInline(e.kind) || EMPTY_CELL)} | ${who(e.actor)} | ${details || EMPTY_CELL} |`;
  }
  push('### Events', timeline.length === 0 ? 'No timeline entries were recorded.' : events);

  // Root Cause Analysis.
  const resolution = text(inc.resolution);
  const contributing: string[] = [];
  if (input.related.length > 0) {
    contributing.push(
      `Recurrence: ${plural(input.related.length, 'earlier incident')} shared services or a similar title (see Related Incidents). Did an earlier fix or follow-up fall short?`,
    );
  }
  contributing.push('_TODO: list the conditions that made this possible or worse; there are usually several, each fixable on its own._');
  push(
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
  );

  // Impact.
  const updateItems = updates.map(
    (u) =>
      `${utc(u.at)}, ${who(u.author)} (${STATUS_LABELS[u.status] ?? escapeInline(u.status)}, ${escapeInline(u.severity)}): ${text(u.text) || EMPTY_CELL}`,
  );
  push(
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
  );

  // What Went Well / Poorly.
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
  const raises = sevChanges.filter((c) => severityRank(c.to) < severityRank(c.from));
  for (const c of raises) {
    poorly.push(
      `Severity was raised from ${escapeInline(c.from)} to ${escapeInline(c.to)} ${since(inc.declaredAt, c.at)} after declaration. Was the impact hard to see at first?`,
    );
  }
  well.push('_TODO: what helped (tools, runbooks, people, luck)?_');
  poorly.push('_TODO: what slowed the response or made it harder?_');
  push('## What Went Well', bullets(well, ''), '## What Went Poorly', bullets(poorly, ''));

  // Action Items.
  const actionRows = actions.map((a) => [
    actionRef(a.seq),
    text(a.text) || EMPTY_CELL,
    a.owner === null ? EMPTY_CELL : who(a.owner),
    a.dueDate === null ? EMPTY_CELL : escapeInline(a.dueDate) || EMPTY_CELL,
    a.status === 'done' ? (a.doneAt === null ? 'Done' : `Done (${utcDate(a.doneAt)})`) : 'Open',
  ]);
  push(
    '## Action Items',
    actions.length === 0
      ? 'No action items were recorded during the incident. _TODO: add follow-ups here or with `/incident action`._'
      : table(ACTION_HEADER, actionRows).join('\n'),
  );

  // Lessons Learned, Prevention Measures.
  push(
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
  );

  // Related Incidents.
  const ownServices = new Set(inc.services.map(serviceKey));
  const relatedItems = input.related.map((r) => {
    const shared = r.services.filter((s) => ownServices.has(serviceKey(s))).map((s) => escapeInline(s)).filter((s) => s !== '');
    const why = shared.length > 0 ? `shared services: ${[...new Set(shared)].join(', ')}` : 'similar title';
    return `${incidentRef(r.id)}: ${text(r.title) || EMPTY_CELL} (${escapeInline(r.severity)}, declared ${utcDate(r.declaredAt)}, ${STATUS_LABELS[r.status] ?? escapeInline(r.status)}); ${why}`;
  });
  push('## Related Incidents', bullets(relatedItems, 'None found.'));

  // Appendix.
  push(
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
  );

  return `${blocks.join('\n\n')}\n`;
}

/** One response phase and the time it covered. */
interface PhaseSpan {
  label: string;
  key: Status;
  start: number;
  end: number;
  ongoing: boolean;
}

/** The phases the incident reached (investigating from declaration on), each until the next phase or resolution (or now). */
function phaseSpans(inc: Incident, now: number): PhaseSpan[] {
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
function mermaidGantt(ref: string, phases: readonly PhaseSpan[]): string {
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

// A Slack markup token: `<@U1>`, `<#C1|name>`, `<!here>`, `<https://…|label>`.
const SLACK_TOKEN_RE = /<([^<>\n]*)>/g;

const SLACK_ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };

const decodeSlackEntity = (e: string): string => SLACK_ENTITIES[e] ?? e;

function decodeSlackEntities(text: string): string {
  return text.includes('&') ? text.replace(/&(?:lt|gt|amp);/g, decodeSlackEntity) : text;
}

// Slack mrkdwn: `<@U1>` → `@name`, `<#C1|ops>` → `#ops`, `<!here>` → `@here`, `<url|label>` → a link, and Slack's
// `&lt;` `&gt;` `&amp;` decoded; anything else stays as written.
/** Splits Slack mrkdwn into plain text (mentions resolved, entities decoded) and links. */
export function slackToParts(text: string, nameOf: (userId: string) => string = (id) => `@${id}`): InlinePart[] {
  if (!text.includes('<')) return [decodeSlackEntities(text)];
  const parts: InlinePart[] = [];
  let plain = '';
  let last = 0;
  // exec with lastIndex set before each call (not matchAll, which clones the RegExp on every call); setting it each time
  // keeps this right even if nameOf ends up here again.
  for (;;) {
    SLACK_TOKEN_RE.lastIndex = last;
    const m = SLACK_TOKEN_RE.exec(text);
    if (m === null) break;
    plain += decodeSlackEntities(text.slice(last, m.index));
    last = m.index + m[0].length;
    const inner = m[1] as string;
    const bar = inner.indexOf('|');
    const head = bar < 0 ? inner : inner.slice(0, bar);
    const label = decodeSlackEntities(bar < 0 ? '' : inner.slice(bar + 1));
    if (head.startsWith('@') && head.length > 1) {
      const id = head.slice(1);
      const n = nameOf(id);
      // An unknown user keeps the name Slack wrote into the mention (`<@U1|bob>`), if any.
      plain += n === `@${id}` && label.trim() !== '' ? `@${label}` : n.startsWith('@') ? n : `@${n}`;
    } else if (head.startsWith('#') && head.length > 1) {
      plain += `#${label || head.slice(1)}`;
    } else if (head === '!channel' || head === '!here' || head === '!everyone') {
      plain += `@${head.slice(1)}`;
    } else if (head.startsWith('!subteam^')) {
      plain += label || '@team';
    } else if (head.startsWith('!date^')) {
      plain += label;
    } else if (/^https?:/i.test(head)) {
      const url = decodeSlackEntities(head);
      if (plain !== '') parts.push(plain);
      plain = '';
      parts.push({ label: label === url ? '' : label, url });
    } else if (/^(?:mailto|tel):/i.test(head)) {
      plain += label || decodeSlackEntities(head.replace(/^(?:mailto|tel):/i, ''));
    } else {
      plain += decodeSlackEntities(m[0]);
    }
  }
  plain += decodeSlackEntities(text.slice(last));
  if (plain !== '') parts.push(plain);
  return parts;
}

/** Slack mrkdwn as plain text (see slackToParts); links read `label (url)`. */
export function slackToPlain(text: string, nameOf?: (userId: string) => string): string {
  return slackToParts(text, nameOf)
    .map((p) => (typeof p === 'string' ? p : p.label === '' ? p.url : `${p.label} (${p.url})`))
    .join('');
}

function serviceKey(s: string): string {
  return normalizeText(s).toLowerCase();
}

const STOP_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'of', 'in', 'on', 'at', 'to', 'for', 'from', 'by', 'with', 'without', 'into',
  'onto', 'over', 'under', 'after', 'before', 'during', 'while', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'it',
  'its', 'this', 'that', 'these', 'those', 'as', 'not', 'no', 'some', 'all', 'any', 'via', 'vs', 'our', 'we', 'us',
  'their', 'they', 'has', 'have', 'had', 'do', 'does', 'did', 'so', 'if', 'than', 'then', 'up', 'down', 'out',
]);

/** Lowercase word tokens of a title minus English stop words. */
export function titleTokens(title: string): Set<string> {
  const tokens = new Set<string>();
  for (const t of title.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (t !== '' && !STOP_WORDS.has(t)) tokens.add(t);
  }
  return tokens;
}

/** Jaccard similarity (0..1) of two titles' word tokens; 0 when either has none. */
export function titleSimilarity(a: string, b: string): number {
  const ta = titleTokens(a);
  const tb = titleTokens(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

/** Minimum title similarity for an incident without shared services to count as related. */
export const RELATED_TITLE_SIMILARITY = 0.4;

// Related: declared strictly before target, another id, and sharing an affected service (case-insensitive) or with a
// title similarity of at least RELATED_TITLE_SIMILARITY. Ranked by shared services, similarity, recency, then id.
/** Up to limit earlier incidents related to target (shared service or similar title), most related first. */
export function findRelated<T extends RelatedCandidate>(target: RelatedCandidate, candidates: readonly T[], limit = 5): T[] {
  const max = Math.floor(limit);
  if (!(max > 0)) return [];
  const targetServices = new Set(target.services.map(serviceKey).filter((s) => s !== ''));
  const targetTokens = titleTokens(target.title);
  const scored: { c: T; shared: number; sim: number }[] = [];
  for (const c of candidates) {
    if (c.id === target.id || !(c.declaredAt < target.declaredAt)) continue;
    const shared = new Set(c.services.map(serviceKey).filter((s) => targetServices.has(s))).size;
    const tokens = titleTokens(c.title);
    let common = 0;
    for (const t of tokens) if (targetTokens.has(t)) common++;
    const union = targetTokens.size + tokens.size - common;
    const sim = union === 0 || targetTokens.size === 0 || tokens.size === 0 ? 0 : common / union;
    if (shared > 0 || sim >= RELATED_TITLE_SIMILARITY) scored.push({ c, shared, sim });
  }
  scored.sort((a, b) => b.shared - a.shared || b.sim - a.sim || b.c.declaredAt - a.c.declaredAt || b.c.id - a.c.id);
  return scored.slice(0, max).map((s) => s.c);
}
