import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { lint } from 'markdownlint/sync';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, STATUSES, TIMELINE_KINDS, type Severity, type TimelineEntry } from '../../src/domain/incident.js';
import {
  findRelated,
  renderPostmortem,
  slackToParts,
  slackToPlain,
  titleSimilarity,
  type PostmortemInput,
  type RelatedIncident,
} from '../../src/domain/postmortem/index.js';
import {
  HOUR,
  MIN,
  T0,
  aPostmortemInput,
  aRelatedIncident,
  aRoleAssignment,
  aStatusUpdate,
  aTimelineEntry,
  anActionItem,
  anIncident,
} from '../builders/incident-builder.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'postmortem', 'realistic.md');

/** markdownlint with every default rule except MD013 (line length): tables and generated prose lines are long by nature. */
function lintErrors(markdown: string): string[] {
  const result = lint({ strings: { doc: markdown }, config: { default: true, MD013: false } });
  return (result['doc'] ?? []).map(
    (e) => `line ${e.lineNumber}: ${e.ruleNames.join('/')} ${e.ruleDescription}${e.errorDetail ? ` (${e.errorDetail})` : ''}: ${e.errorContext ?? ''}`,
  );
}

/** The headings after the title, in order, as every postmortem must have them. */
const SECTION_HEADINGS = [
  '## Incident Summary',
  '### Roles',
  '## Key Metrics',
  '## Timeline',
  '### Phases',
  '### Events',
  '## Root Cause Analysis',
  '### Five Whys',
  '### Contributing Factors',
  '## Impact',
  '### Status Updates',
  '## What Went Well',
  '## What Went Poorly',
  '## Action Items',
  '## Lessons Learned',
  '## Prevention Measures',
  '## Related Incidents',
  '## Appendix',
];

/** Lines outside fenced code blocks, with their fence state. */
function outsideFences(md: string): { lines: string[]; fences: string[] } {
  const lines: string[] = [];
  const fences: string[] = [];
  let open: string | null = null;
  for (const line of md.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (m) {
      fences.push(line);
      if (open === null) open = m[1] as string;
      else if ((m[1] as string).startsWith(open)) open = null;
      continue;
    }
    if (open === null) lines.push(line);
  }
  return { lines, fences };
}

/** Number of unescaped `|` in a table row. */
function pipeCount(row: string): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') n++;
  }
  return n;
}

/** Checks the document's skeleton: title, section headings in order, table shapes, code fences, lint. */
function expectWellFormed(md: string, incidentId: number): void {
  expect(md.endsWith('\n')).toBe(true);
  expect(md.endsWith('\n\n')).toBe(false);
  const { lines, fences } = outsideFences(md);
  // Exactly one fenced block, the Mermaid diagram.
  expect(fences).toEqual(['```mermaid', '```']);
  const headings = lines.filter((l) => /^ {0,3}#/.test(l));
  expect(headings[0]).toMatch(new RegExp(`^# INC-${incidentId} Postmortem(: .+)?$`));
  expect(headings.slice(1)).toEqual(SECTION_HEADINGS);
  // Tables: every row has as many cells as its header; no stray table rows.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.startsWith('|')) continue;
    const delimiter = lines[i + 1] ?? '';
    expect(lines[i - 1], `table must follow a blank line: ${line}`).toBe('');
    expect(delimiter, `table header must be followed by a delimiter row: ${line}`).toMatch(/^\|( --- \|)+$/);
    const cells = pipeCount(line);
    expect(pipeCount(delimiter)).toBe(cells);
    let j = i + 2;
    for (; j < lines.length && lines[j] !== ''; j++) {
      expect(pipeCount(lines[j] as string), `row ${j}: ${lines[j]}`).toBe(cells);
      expect((lines[j] as string).startsWith('| ') && (lines[j] as string).endsWith(' |')).toBe(true);
    }
    i = j;
  }
  const errors = lintErrors(md);
  expect(errors, `${errors.join('\n')}\n--- document ---\n${md}`).toEqual([]);
}

/** The realistic incident behind the golden file: a SEV3 raised to SEV2, an IC handover, a pinned message, three actions. */
function realisticInput(): PostmortemInput {
  const incident = anIncident()
    .withId(42)
    .withTitle('Checkout latency spike for EU customers')
    .withSeverity('SEV2')
    .withSummary(
      'Between 22:52 and 23:45 UTC, checkout requests from EU customers took up to 12 seconds and about 4% timed out.\n\n' +
        'Deploy #4812 shipped a configuration change that cut the checkout-api database pool from 200 to 20 connections per pod; ' +
        'under evening traffic the pool saturated and requests queued. Rolling the deploy back restored normal latency.',
    )
    .withServices('checkout-api', 'checkout-db-eu')
    .withChannel('C0INC42', 'inc-42-checkout-latency')
    .declaredBy('U0DAN')
    .declaredAt(T0)
    .identifiedAt(T0 + 19 * MIN)
    .mitigatingAt(T0 + 26 * MIN)
    .monitoringAt(T0 + 44 * MIN)
    .resolvedAt(T0 + 79 * MIN, 'Rolled back checkout-api to v2026.11.22-3 (<https://deploy.acme.dev/checkout-api/4812|deploy #4812>); p99 back to 450 ms.')
    .withMissedUpdates(1)
    .build();
  let id = 100;
  const entry = (minutes: number, kind: TimelineEntry['kind'], actor: string | null, text: string, permalink: string | null = null) =>
    aTimelineEntry().withId(++id).at(T0 + minutes * MIN).ofKind(kind).by(actor).withText(text).withPermalink(permalink);
  const candidates: RelatedIncident[] = [
    aRelatedIncident().withId(31).withTitle('Checkout errors after deploy').withSeverity('SEV3').withStatus('closed')
      .declaredAt(Date.UTC(2026, 9, 23, 14, 5)).withServices('Checkout-API').build(),
    aRelatedIncident().withId(27).withTitle('EU checkout latency spike').withSeverity('SEV2').withStatus('closed')
      .declaredAt(Date.UTC(2026, 7, 30, 9, 40)).withServices('cdn-edge').build(),
    aRelatedIncident().withId(35).withTitle('Search index lagging').withSeverity('SEV4').withStatus('closed')
      .declaredAt(Date.UTC(2026, 10, 2, 8, 0)).withServices('search').build(),
    aRelatedIncident().withId(43).withTitle('Checkout latency spike again').withSeverity('SEV2').withStatus('investigating')
      .declaredAt(T0 + 10 * HOUR).withServices('checkout-api').build(),
  ];
  return aPostmortemInput()
    .forIncident(incident)
    .withRoles(
      aRoleAssignment().withRole('ic').heldBy('U0ALICE').assignedBy('U0DAN').assignedAt(T0 + 2 * MIN).endedAt(T0 + 34 * MIN),
      aRoleAssignment().withRole('ic').heldBy('U0ERIN').assignedBy('U0ALICE').assignedAt(T0 + 34 * MIN),
      aRoleAssignment().withRole('tech').heldBy('U0BOB').assignedBy('U0ALICE').assignedAt(T0 + 3 * MIN),
      aRoleAssignment().withRole('comms').heldBy('U0CAROL').assignedBy('U0ALICE').assignedAt(T0 + 4 * MIN),
    )
    .withTimeline(
      entry(0, 'declared', 'U0DAN', 'Declared SEV3: Checkout latency spike for EU customers'),
      entry(2, 'role', 'U0DAN', '<@U0ALICE> is now Incident Commander'),
      entry(3, 'role', 'U0ALICE', '<@U0BOB> is now Technical Lead'),
      entry(4, 'role', 'U0ALICE', '<@U0CAROL> is now Communications Lead'),
      entry(5, 'log', 'U0BOB', 'checkout-api p99 | p50 = 8.4s | 120ms, EU only; payments latency normal'),
      entry(9, 'update', 'U0CAROL', 'Status update posted (Investigating, SEV3)'),
      entry(13, 'severity', 'U0ALICE', 'Severity SEV3 → SEV2: about 4% of EU checkouts are timing out'),
      entry(17, 'message', 'U0BOB', 'checkout-db-eu pool saturated (20/20 per pod) since the 22:52 deploy; config has `max_pool=20`',
        'https://acme.slack.com/archives/C0INC42/p1795389480000100'),
      entry(19, 'status', 'U0ALICE', 'Status Investigating → Identified'),
      entry(24, 'log', 'U0BOB', 'Rolling back checkout-api to v2026.11.22-3'),
      entry(26, 'status', 'U0ALICE', 'Status Identified → Mitigating'),
      entry(34, 'role', 'U0ALICE', 'Handing over: <@U0ERIN> is now Incident Commander'),
      entry(37, 'reminder', null, 'Status update overdue by 8 minutes'),
      entry(40, 'update', 'U0CAROL', 'Status update posted (Mitigating, SEV2)'),
      entry(44, 'status', 'U0ERIN', 'Status Mitigating → Monitoring'),
      entry(62, 'action', 'U0ERIN', 'A-1 added: Alert when checkout-db connection pool usage stays above 80% for 5 minutes'),
      entry(64, 'update', 'U0CAROL', 'Status update posted (Monitoring, SEV2)'),
      entry(70, 'action', 'U0BOB', 'A-2 added: Add pool-size changes to the deploy checklist & canary checks'),
      entry(75, 'action', 'U0ERIN', 'A-3 added: Remove the temporary pool-size override'),
      entry(79, 'resolved', 'U0ERIN', 'Resolved: Rolled back checkout-api to v2026.11.22-3; p99 back to 450 ms.'),
      entry(99, 'action_done', 'U0BOB', 'A-3 done: Remove the temporary pool-size override'),
    )
    .withUpdates(
      aStatusUpdate().withId(1).at(T0 + 9 * MIN).by('U0CAROL').withStatus('investigating').withSeverity('SEV3')
        .withText("We're investigating slow checkouts for customers in Europe. Payments are not affected."),
      aStatusUpdate().withId(2).at(T0 + 40 * MIN).by('U0CAROL').withStatus('mitigating').withSeverity('SEV2')
        .withText('We rolled back a deploy that exhausted database connections; checkout latency is recovering.'),
      aStatusUpdate().withId(3).at(T0 + 64 * MIN).by('U0CAROL').withStatus('monitoring').withSeverity('SEV2')
        .withText('Checkout latency is back to normal. We are monitoring and will post a final update.'),
    )
    .withActions(
      anActionItem().withSeq(1).withText('Alert when checkout-db connection pool usage stays above 80% for 5 minutes')
        .ownedBy('U0BOB').due('2026-11-29').createdBy('U0ERIN', T0 + 62 * MIN),
      anActionItem().withSeq(2).withText('Add pool-size changes to the deploy checklist & canary checks')
        .ownedBy('U0ALICE').due('2026-12-06').createdBy('U0BOB', T0 + 70 * MIN),
      anActionItem().withSeq(3).withText('Remove the temporary pool-size override')
        .ownedBy('U0BOB').due(null).createdBy('U0ERIN', T0 + 75 * MIN).doneAt(T0 + 99 * MIN),
    )
    .withSeverityChange(T0 + 13 * MIN, 'SEV3', 'SEV2', 'U0ALICE')
    .withParticipants('U0DAN', 'U0ALICE', 'U0BOB', 'U0CAROL', 'U0ERIN', 'U0FRANK')
    .withRelated(...findRelated(incident, candidates))
    .withUserNames({ U0DAN: 'Dan Okafor', U0ALICE: 'Alice Chen', U0BOB: 'Bob Martins', U0CAROL: 'Carol Diaz', U0ERIN: 'Erin Walsh' })
    .generatedAt(Date.UTC(2026, 10, 23, 9, 30))
    .build();
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('renderPostmortem: golden file', () => {
  it('matches test/fixtures/postmortem/realistic.md (UPDATE_GOLDEN=1 rewrites it)', () => {
    const md = renderPostmortem(realisticInput());
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, md);
    }
    expect(existsSync(GOLDEN), 'golden missing: run with UPDATE_GOLDEN=1 and review the file').toBe(true);
    expect(md).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('is well-formed and passes markdownlint', () => {
    expectWellFormed(renderPostmortem(realisticInput()), 42);
    expect(lintErrors(readFileSync(GOLDEN, 'utf8'))).toEqual([]);
  });

  it('does not depend on the order of its inputs', () => {
    const input = realisticInput();
    const expected = renderPostmortem(input);
    for (const seed of [1, 2, 3]) {
      const reordered: PostmortemInput = {
        ...input,
        roles: shuffled(input.roles, seed),
        timeline: shuffled(input.timeline, seed),
        updates: shuffled(input.updates, seed),
        actions: shuffled(input.actions, seed),
        severityChanges: shuffled(input.severityChanges, seed),
      };
      expect(renderPostmortem(reordered)).toBe(expected);
    }
  });

  it('does not modify its input', () => {
    const input = realisticInput();
    const copy = structuredClone(input);
    renderPostmortem(input);
    expect(input).toEqual(copy);
  });
});

describe('renderPostmortem: content', () => {
  const md = renderPostmortem(realisticInput());

  it('summarizes the incident with UTC times, severity changes and roles', () => {
    expect(md).toContain('# INC-42 Postmortem: Checkout latency spike for EU customers\n\nStatus: Draft\n');
    expect(md).toContain('- **Severity changes:** SEV3 → SEV2 at 2026-11-22 23:14 UTC by Alice Chen');
    expect(md).toContain('- **Declared:** 2026-11-22 23:01 UTC by Dan Okafor');
    expect(md).toContain('- **Mitigated:** 2026-11-22 23:45 UTC');
    expect(md).toContain('- **Duration:** 1h 19m (declared → resolved)');
    expect(md).toContain('| Incident Commander | Alice Chen | 2026-11-22 23:03 | 2026-11-22 23:35 | Dan Okafor |');
    expect(md).toContain('| Incident Commander | Erin Walsh | 2026-11-22 23:35 | current | Alice Chen |');
    expect(md).toContain('@U0FRANK');
  });

  it('computes the key metrics', () => {
    expect(md).toContain('| Time to assign an Incident Commander | 2m |');
    expect(md).toContain('| Time to mitigate (declared → monitoring) | 44m |');
    expect(md).toContain('| Time to resolve (declared → resolved) | 1h 19m |');
    expect(md).toContain('| Status updates posted | 3 |');
    expect(md).toContain('| Missed status updates | 1 |');
  });

  it('lists every timeline entry in order, escaping text and linking permalinks', () => {
    expect(md).toContain('| 2026-11-22 23:06 | Log | Bob Martins | checkout-api p99 \\| p50 = 8.4s \\| 120ms, EU only; payments latency normal |');
    expect(md).toContain('\\`max_pool=20\\` ([message](https://acme.slack.com/archives/C0INC42/p1795389480000100)) |');
    expect(md).toContain('| 2026-11-22 23:38 | Reminder | — | Status update overdue by 8 minutes |');
    expect(md).toContain('| 2026-11-22 23:03 | Role change | Dan Okafor | @Alice Chen is now Incident Commander |');
  });

  it('draws the phases as a Mermaid gantt chart', () => {
    expect(md).toContain(
      [
        '```mermaid',
        'gantt',
        '    title INC-42 response phases (UTC)',
        '    dateFormat YYYY-MM-DD HH:mm:ss',
        '    axisFormat %H:%M',
        '    section Status',
        '    Investigating :investigating, 2026-11-22 23:01:00, 2026-11-22 23:20:00',
        '    Identified :identified, 2026-11-22 23:20:00, 2026-11-22 23:27:00',
        '    Mitigating :mitigating, 2026-11-22 23:27:00, 2026-11-22 23:45:00',
        '    Monitoring :monitoring, 2026-11-22 23:45:00, 2026-11-23 00:20:00',
        '```',
      ].join('\n'),
    );
  });

  it('pre-fills what went well and poorly from the record', () => {
    const well = md.slice(md.indexOf('## What Went Well'), md.indexOf('## What Went Poorly'));
    const poorly = md.slice(md.indexOf('## What Went Poorly'), md.indexOf('## Action Items'));
    expect(well).toContain('An Incident Commander was assigned within 2m of declaration.');
    expect(poorly).toContain('1 status update was missed');
    expect(poorly).toContain('Severity was raised from SEV3 to SEV2 13m after declaration.');
    expect(md).toContain('1. **Why?** _TODO: the direct technical cause._');
  });

  it('tables the action items and lists related incidents', () => {
    expect(md).toContain('| Ref | Action | Owner | Due | Status |');
    expect(md).toContain('| A-2 | Add pool-size changes to the deploy checklist & canary checks | Alice Chen | 2026-12-06 | Open |');
    expect(md).toContain('| A-3 | Remove the temporary pool-size override | Bob Martins | — | Done (2026-11-23) |');
    expect(md).toContain('- INC-31: Checkout errors after deploy (SEV3, declared 2026-10-23, Closed); shared services: Checkout-API');
    expect(md).toContain('- INC-27: EU checkout latency spike (SEV2, declared 2026-08-30, Closed); similar title');
    expect(md).not.toContain('INC-35');
    expect(md).not.toContain('INC-43');
  });
});

describe('renderPostmortem: sparse and ongoing incidents', () => {
  const bare = (): PostmortemInput =>
    aPostmortemInput().forIncident(anIncident().withId(7).withTitle('').withSummary('').withServices()).generatedAt(T0 + 90 * MIN).build();

  it('renders placeholders when little is known', () => {
    const md = renderPostmortem(bare());
    expectWellFormed(md, 7);
    expect(md.startsWith('# INC-7 Postmortem\n')).toBe(true);
    expect(md).toContain('- **Duration:** ongoing, 1h 30m so far');
    expect(md).toContain('- **Mitigated:** not yet');
    expect(md).toContain('_TODO: summarize what happened');
    expect(md).toContain('| Time to assign an Incident Commander | not assigned |');
    expect(md).toContain('No Incident Commander was assigned.');
    expect(md).toContain('No timeline entries were recorded.');
    expect(md).toContain('No action items were recorded during the incident.');
    expect(md).toContain('## Related Incidents\n\nNone found.\n');
    expect(md).toContain(`    Investigating :investigating, 2026-11-22 23:01:00, 2026-11-23 00:31:00`);
    expect(md).toContain('| Investigating | 2026-11-22 23:01 | ongoing | 1h 30m |');
  });

  it('uses resolution as the mitigation time when monitoring was skipped', () => {
    const md = renderPostmortem(
      aPostmortemInput().forIncident(anIncident().resolvedAt(T0 + 30 * MIN, null)).build(),
    );
    expect(md).toContain('- **Mitigated:** 2026-11-22 23:31 UTC');
    expect(md).toContain('| Time to mitigate (declared → monitoring) | 30m |');
  });

  it('shows unnamed users as @id, even for ids that are Object property names', () => {
    const md = renderPostmortem(
      aPostmortemInput().withParticipants('constructor', '__proto__', 'U1').withUserNames({ U1: 'Uma' }).build(),
    );
    expect(md).toContain('- **Participants:** @constructor, @\\_\\_proto\\_\\_, Uma');
  });

  it('does not link permalinks that are not http(s)', () => {
    const md = renderPostmortem(
      aPostmortemInput().withTimeline(aTimelineEntry().ofKind('message').withText('x').withPermalink('javascript:alert(1)')).build(),
    );
    expect(md).not.toContain('javascript');
    expect(md).toContain('| Pinned message | @U0ALICE | x |');
  });

  it('is deterministic', () => {
    expect(renderPostmortem(realisticInput())).toBe(renderPostmortem(realisticInput()));
  });
});

describe('renderPostmortem: 10,000 timeline entries', () => {
  it('renders one row per entry in chronological order (stable by id)', () => {
    const timeline = Array.from({ length: 10_000 }, (_, i) =>
      aTimelineEntry().withId(10_000 - i).at(T0 + Math.floor(i / 3) * 1000).withText(`entry ${10_000 - i} | ok`).build(),
    );
    const md = renderPostmortem(aPostmortemInput().withTimeline(...shuffled(timeline, 7)).build());
    const events = md.slice(md.indexOf('### Events'), md.indexOf('## Root Cause Analysis'));
    const rows = events.split('\n').filter((l) => l.startsWith('| 20'));
    expect(rows).toHaveLength(10_000);
    // Same-second entries come out by ascending id.
    expect(rows[0]).toContain('entry 9998 \\| ok');
    expect(rows[2]).toContain('entry 10000 \\| ok');
    expect(rows[9_999]).toContain('entry 1 \\| ok');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property-based: arbitrary user text never breaks the document's structure.

const NASTY = [
  '|', '\\|', '\\', '\n', '\r\n', '\t', '`', '```', '~~~', '#', '# ', '##', '*', '**', '_', '__', '[', ']', '[x](y)',
  '![i](j)', '[^1]', '<', '>', '<!channel>', '<!here>', '<@U123>', '<#C1|ops>', '<https://x.io/a|b>', '<https://x.io/a|here>', '<http://x.io|>', '<https://x.io/a b|c d>', '<ftp://x|y>', '<mailto:a@b.co|a>',
  '&amp;', '&lt;', '&copy;', '&#35;', 'https://example.com/a_(b)|c', 'http://x.io.', 'www.example.com', 'a@b.co', '- ', '+ ',
  '1. ', '2) ', '---', '===', '> ', '$x$', '$$', ':smile:', ':name[x]{y}', '\u0000', '\u0007', '\u001b[31m', '\u202e', '\u2028',
  '\ufeff', '\ufff9', '\u{13430}', '\u00a0', '\u200b', 'é', 'e\u0301', '😀', '👩‍💻', '中文', '\ud800', ' ', '  ', '.', ':', '!', '?', '。', '<br>',
  '<div>', '<!-- c -->', '    code', 'constructor', '__proto__', '(a)[b]', '* * *', 'https://', 'HTTPS://A.B/C',
];

const userText = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 3 })), { maxLength: 10 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);
const userId = fc.oneof(fc.constantFrom('U1', 'U2', 'U3', 'constructor'), userText);
const time = fc.integer({ min: T0 - 10 * 24 * HOUR, max: T0 + 10 * 24 * HOUR });
const optTime = fc.option(time, { nil: null });
const severity = fc.constantFrom<Severity>(...SEVERITIES);

const inputArb: fc.Arbitrary<PostmortemInput> = fc
  .record({
    id: fc.integer({ min: 1, max: 1_000_000 }),
    title: userText,
    summary: userText,
    services: fc.array(userText, { maxLength: 4 }),
    channelName: fc.option(userText, { nil: null }),
    resolution: fc.option(userText, { nil: null }),
    status: fc.constantFrom(...STATUSES),
    severity,
    declaredBy: userId,
    phases: fc.tuple(optTime, optTime, optTime, optTime, optTime),
    missed: fc.nat(20),
    roles: fc.array(
      fc.record({ role: fc.constantFrom('ic' as const, 'tech' as const, 'comms' as const), userId, by: userId, at: time, ended: optTime }),
      { maxLength: 5 },
    ),
    timeline: fc.array(
      fc.record({
        at: time,
        kind: fc.constantFrom(...TIMELINE_KINDS),
        actor: fc.option(userId, { nil: null }),
        text: userText,
        permalink: fc.option(fc.oneof(userText, userText.map((t) => `https://acme.slack.com/archives/C1/p1?x=${t}`)), { nil: null }),
      }),
      { maxLength: 12 },
    ),
    updates: fc.array(fc.record({ at: time, author: userId, status: fc.constantFrom(...STATUSES), severity, text: userText }), { maxLength: 3 }),
    actions: fc.array(
      fc.record({ text: userText, owner: fc.option(userId, { nil: null }), due: fc.option(userText, { nil: null }), done: optTime }),
      { maxLength: 4 },
    ),
    sevChanges: fc.array(fc.record({ at: time, from: severity, to: severity, by: fc.option(userId, { nil: null }) }), { maxLength: 3 }),
    participants: fc.array(userId, { maxLength: 4 }),
    related: fc.array(
      fc.record({ id: fc.nat(1000), title: userText, severity, status: fc.constantFrom(...STATUSES), declaredAt: time, services: fc.array(userText, { maxLength: 3 }) }),
      { maxLength: 3 },
    ),
    names: fc.dictionary(userId, userText, { maxKeys: 4 }),
  })
  .map((r) => {
    const b = aPostmortemInput()
      .forIncident(
        anIncident()
          .withId(r.id).withTitle(r.title).withSummary(r.summary).withServices(...r.services).withChannel('C1', r.channelName)
          .withSeverity(r.severity).declaredBy(r.declaredBy).declaredAt(T0)
          .with({
            status: r.status, identifiedAt: r.phases[0], mitigatingAt: r.phases[1], monitoringAt: r.phases[2],
            resolvedAt: r.phases[3], closedAt: r.phases[4], resolution: r.resolution, missedUpdates: r.missed,
          }),
      )
      .withRoles(...r.roles.map((x) => aRoleAssignment().withRole(x.role).heldBy(x.userId).assignedBy(x.by).assignedAt(x.at).endedAt(x.ended)))
      .withTimeline(...r.timeline.map((e, i) => aTimelineEntry().withId(i + 1).at(e.at).ofKind(e.kind).by(e.actor).withText(e.text).withPermalink(e.permalink)))
      .withUpdates(...r.updates.map((u, i) => aStatusUpdate().withId(i + 1).at(u.at).by(u.author).withStatus(u.status).withSeverity(u.severity).withText(u.text)))
      .withActions(...r.actions.map((a, i) => {
        const b = anActionItem().withSeq(i + 1).withText(a.text).ownedBy(a.owner).due(a.due);
        return a.done === null ? b : b.doneAt(a.done);
      }))
      .withParticipants(...r.participants)
      .withRelated(...r.related)
      .withUserNames(r.names);
    for (const c of r.sevChanges) b.withSeverityChange(c.at, c.from, c.to, c.by);
    return b.build();
  });

describe('renderPostmortem: arbitrary user text', () => {
  it('never breaks headings, tables or fences, and always passes markdownlint', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        expectWellFormed(renderPostmortem(input), input.incident.id);
      }),
      { numRuns: 150 },
    );
  });

  it('renders the same bytes for the same input', () => {
    fc.assert(fc.property(inputArb, (input) => renderPostmortem(input) === renderPostmortem(structuredClone(input))), { numRuns: 50 });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('findRelated', () => {
  const target = { id: 50, title: 'Checkout latency spike', services: ['checkout-api', 'payments'], declaredAt: T0 };
  const candidate = (id: number, title: string, services: string[], declaredAt: number) => ({ id, title, services, declaredAt });

  it('keeps earlier incidents sharing a service, case-insensitively', () => {
    const found = findRelated(target, [candidate(1, 'Unrelated words', [' Checkout-API '], T0 - HOUR)]);
    expect(found.map((c) => c.id)).toEqual([1]);
  });

  it('keeps earlier incidents with a similar title (Jaccard ≥ 0.4, stop words ignored)', () => {
    const found = findRelated(target, [
      candidate(1, 'The checkout latency', ['x'], T0 - HOUR), // {checkout, latency} vs {checkout, latency, spike}: 2/3
      candidate(2, 'Spike in search traffic', ['y'], T0 - HOUR), // {spike, search, traffic}: 1/5
      candidate(3, 'Checkout down', ['z'], T0 - HOUR), // {checkout, down→stop word}: 1/3
    ]);
    expect(found.map((c) => c.id)).toEqual([1]);
  });

  it('excludes the target itself and incidents declared at the same time or later', () => {
    const found = findRelated(target, [
      candidate(50, 'Checkout latency spike', ['checkout-api'], T0 - HOUR),
      candidate(51, 'Checkout latency spike', ['checkout-api'], T0),
      candidate(52, 'Checkout latency spike', ['checkout-api'], T0 + HOUR),
    ]);
    expect(found).toEqual([]);
  });

  it('ranks by shared services, then similarity, then recency, then id', () => {
    const found = findRelated(target, [
      candidate(1, 'Checkout latency spike', ['checkout-api'], T0 - 3 * HOUR), // 1 shared, sim 1
      candidate(2, 'Other thing', ['payments', 'CHECKOUT-API'], T0 - 5 * HOUR), // 2 shared
      candidate(3, 'Checkout latency', ['checkout-api'], T0 - HOUR), // 1 shared, sim 2/3
      candidate(4, 'Checkout latency spike', [], T0 - 2 * HOUR), // 0 shared, sim 1
      candidate(5, 'Checkout latency spike', ['checkout-api'], T0 - 2 * HOUR), // 1 shared, sim 1, more recent than 1
      candidate(6, 'Checkout latency spike', ['checkout-api'], T0 - 2 * HOUR), // ties with 5: higher id first
    ], 10);
    expect(found.map((c) => c.id)).toEqual([2, 6, 5, 1, 3, 4]);
  });

  it('returns at most limit (default 5) and keeps extra fields of the candidates', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ ...candidate(i + 1, 'x', ['payments'], T0 - (i + 1) * HOUR), severity: 'SEV1' as const }));
    expect(findRelated(target, many)).toHaveLength(5);
    expect(findRelated(target, many, 2).map((c) => c.id)).toEqual([1, 2]);
    expect(findRelated(target, many, 0)).toEqual([]);
    expect(findRelated(target, many)[0]?.severity).toBe('SEV1');
  });

  it('ignores titles without words', () => {
    expect(findRelated({ ...target, title: '!!!', services: [] }, [candidate(1, '???', [], T0 - HOUR)])).toEqual([]);
    expect(titleSimilarity('the and of', 'the and of')).toBe(0);
  });
});

describe('slackToPlain', () => {
  it('turns Slack markup into plain text', () => {
    const name = (id: string) => (id === 'U1' ? 'Alice' : `@${id}`);
    // An unknown user keeps the label Slack wrote into the mention.
    expect(slackToPlain('<@U1> and <@U2|bob> in <#C1|ops> <!here> <!subteam^S1|@sre>', name)).toBe('@Alice and @bob in #ops @here @sre');
    expect(slackToPlain('see <https://x.io/a|the dashboard> and <https://x.io/b>')).toBe('see the dashboard (https://x.io/a) and https://x.io/b');
    expect(slackToPlain('a &lt;b&gt; &amp;amp; <mailto:a@b.co|a@b.co> <not markup>')).toBe('a <b> &amp; a@b.co <not markup>');
    expect(slackToParts('Rolled back (<https://ci.acme.dev/4812|deploy #4812>) &amp; done')).toEqual([
      'Rolled back (',
      { label: 'deploy #4812', url: 'https://ci.acme.dev/4812' },
      ') & done',
    ]);
  });
});
