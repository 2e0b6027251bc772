/**
 * Seeds a migrated database directly with SQL (much faster than the use cases): open incidents with pending update
 * reminders spread over their cadence (so few are due at any moment), and closed incidents with the history a real
 * incident leaves behind (fired and cancelled reminders, timeline, updates, roles, action items, delivered outbox rows).
 */
import type Database from 'better-sqlite3';
import { DEFAULT_CADENCE } from '../../src/domain/cadence.js';
import type { Severity } from '../../src/domain/incident.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A deterministic pseudo-random generator (mulberry32), so every run seeds the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USERS = Array.from({ length: 40 }, (_, i) => `U0${String(i + 1).padStart(4, '0')}`);
const SERVICES = ['checkout-api', 'payments', 'search', 'auth', 'cdn', 'orders-db', 'notifications', 'inventory'];
const LOG_LINES = [
  'Error rate on checkout-api above 5% since 14:02',
  'Rolled back deploy 2024.11.3 of payments',
  'Failover of orders-db primary started',
  'Customer support reports login failures in EU',
  'CDN purge requested for /static/*',
  'Latency back under SLO for 10 minutes',
];

/** Counters of what was inserted. */
export interface SeedCounts { incidents: number; reminders: number; timeline: number; outbox: number; updates: number; roles: number; actions: number }

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function severity(r: () => number): Severity {
  const x = r();
  return x < 0.05 ? 'SEV1' : x < 0.25 ? 'SEV2' : x < 0.75 ? 'SEV3' : 'SEV4';
}

/** Prepared inserts over one connection. */
export class Seeder {
  private readonly r: () => number;
  readonly counts: SeedCounts = { incidents: 0, reminders: 0, timeline: 0, outbox: 0, updates: 0, roles: 0, actions: 0 };
  private readonly st;
  private channelSeq = 0;

  constructor(private readonly sqlite: Database.Database, seed = 42) {
    this.r = rng(seed);
    this.st = {
      incident: sqlite.prepare(`INSERT INTO incidents (title, severity, status, summary, services, channel_id, channel_name, summary_ts, declared_by, declared_at,
        identified_at, mitigating_at, monitoring_at, resolved_at, closed_at, resolution, last_update_at, next_update_due_at, missed_updates, postmortem_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      role: sqlite.prepare('INSERT INTO role_assignments (incident_id, role, user_id, assigned_by, assigned_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)'),
      timeline: sqlite.prepare('INSERT INTO timeline_entries (incident_id, at, kind, actor, text, source_ts, permalink, created_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)'),
      update: sqlite.prepare('INSERT INTO status_updates (incident_id, at, author, status, severity, text, next_due_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      action: sqlite.prepare(`INSERT INTO action_items (incident_id, seq, text, owner, due_date, status, created_by, created_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      reminder: sqlite.prepare('INSERT INTO reminders (incident_id, kind, action_item_id, due_at, state, fired_at) VALUES (?, ?, ?, ?, ?, ?)'),
      outbox: sqlite.prepare(`INSERT INTO outbox (key, lane, incident_id, effect, coalesce_key, state, attempts, next_attempt_at, last_error, created_at, done_at)
        VALUES (?, ?, ?, ?, NULL, 'done', 1, ?, NULL, ?, ?)`),
    };
  }

  private incidentRow(title: string, sev: Severity, status: string, declaredAt: number, extra: { resolvedAt?: number; closedAt?: number; nextDue?: number | null; postmortemAt?: number | null }): number {
    const n = ++this.channelSeq;
    const id = Number(this.st.incident.run(
      title, sev, status, 'Customers see errors at checkout.', JSON.stringify([pick(this.r, SERVICES)]), `CB${n}`, `inc-${n}-bench`, `${Math.floor(declaredAt / 1000)}.000100`, pick(this.r, USERS), declaredAt,
      declaredAt + 10 * MIN, declaredAt + 30 * MIN, extra.resolvedAt ? extra.resolvedAt - 20 * MIN : null, extra.resolvedAt ?? null, extra.closedAt ?? null,
      extra.resolvedAt ? 'Rolled back the faulty deploy.' : null, declaredAt + 20 * MIN, extra.nextDue ?? null, 0, extra.postmortemAt ?? null, declaredAt + 40 * MIN,
    ).lastInsertRowid);
    this.counts.incidents++;
    return id;
  }

  private history(id: number, sev: Severity, declaredAt: number, entries: number, updates: number, deliveries: number): void {
    const ic = pick(this.r, USERS);
    this.st.role.run(id, 'ic', ic, pick(this.r, USERS), declaredAt + 2 * MIN, null);
    this.st.role.run(id, 'comms', pick(this.r, USERS), ic, declaredAt + 4 * MIN, null);
    this.counts.roles += 2;
    for (let k = 0; k < entries; k++) {
      const at = declaredAt + k * 7 * MIN;
      this.st.timeline.run(id, at, k === 0 ? 'declared' : 'log', pick(this.r, USERS), k === 0 ? `INC-${id} declared as ${sev}` : pick(this.r, LOG_LINES), at);
    }
    this.counts.timeline += entries;
    for (let k = 0; k < updates; k++) {
      const at = declaredAt + (k + 1) * 20 * MIN;
      this.st.update.run(id, at, ic, 'investigating', sev, `Update ${k + 1}: still investigating; next update in 30 minutes.`, at + 30 * MIN);
    }
    this.counts.updates += updates;
    for (let k = 0; k < deliveries; k++) {
      const at = declaredAt + k * MIN;
      this.st.outbox.run(`bench:${id}:${k}`, `channel:${id}`, id, JSON.stringify({ kind: 'channel_notice', incidentId: id, notice: { type: 'status_update', updateId: k + 1 } }), at, at, at + 80);
    }
    this.counts.outbox += deliveries;
  }

  /** `n` open incidents declared before `now`; SEV1–3 have a pending update reminder due within one cadence after `now`. */
  open(n: number, now: number): void {
    this.sqlite.transaction(() => {
      for (let i = 0; i < n; i++) {
        const sev = severity(this.r);
        const cadence = DEFAULT_CADENCE[sev];
        const declaredAt = now - Math.floor(this.r() * 3 * DAY) - 5 * MIN;
        const nextDue = cadence === null ? null : now + 1 + Math.floor(this.r() * cadence);
        const id = this.incidentRow(`Open incident ${i}: checkout errors`, sev, pick(this.r, ['investigating', 'identified', 'mitigating', 'monitoring']), declaredAt, { nextDue });
        this.history(id, sev, declaredAt, 8, 2, 6);
        if (cadence !== null) {
          this.st.reminder.run(id, 'update', 0, nextDue! - 2 * cadence, 'fired', nextDue! - 2 * cadence);
          this.st.reminder.run(id, 'update', 0, nextDue! - cadence, 'cancelled', null);
          this.st.reminder.run(id, 'update', 0, nextDue!, 'pending', null);
          this.counts.reminders += 3;
        }
        if (this.r() < 0.2) {
          const actionId = Number(this.st.action.run(id, 1, 'Add an alert on error rate', pick(this.r, USERS), '2026-12-31', 'open', pick(this.r, USERS), declaredAt + HOUR, null).lastInsertRowid);
          this.st.reminder.run(id, 'action', actionId, now + (3 + Math.floor(this.r() * 20)) * DAY, 'pending', null);
          this.counts.actions++;
          this.counts.reminders++;
        }
      }
    })();
  }

  /** `n` closed incidents from the past year, each with fired and cancelled reminders and its history. */
  closed(n: number, now: number): void {
    this.sqlite.transaction(() => {
      for (let i = 0; i < n; i++) {
        const sev = severity(this.r);
        const declaredAt = now - 4 * DAY - Math.floor(this.r() * 365 * DAY);
        const resolvedAt = declaredAt + 2 * HOUR + Math.floor(this.r() * 6 * HOUR);
        const closedAt = resolvedAt + DAY;
        const id = this.incidentRow(`Closed incident ${i}: search degraded`, sev, 'closed', declaredAt, { resolvedAt, closedAt, postmortemAt: this.r() < 0.7 ? resolvedAt + 20 * HOUR : null });
        this.history(id, sev, declaredAt, 4, 2, 4);
        const cadence = DEFAULT_CADENCE[sev] ?? HOUR;
        for (let k = 1; k <= 4; k++) this.st.reminder.run(id, 'update', 0, declaredAt + k * cadence, 'fired', declaredAt + k * cadence + 500);
        this.st.reminder.run(id, 'update', 0, declaredAt + 5 * cadence, 'cancelled', null);
        this.st.reminder.run(id, 'postmortem', 0, resolvedAt + 2 * DAY, 'fired', resolvedAt + 2 * DAY + 500);
        this.counts.reminders += 6;
        if (this.r() < 0.3) {
          const actionId = Number(this.st.action.run(id, 1, 'Write a runbook for search failover', pick(this.r, USERS), '2026-01-15', 'done', pick(this.r, USERS), resolvedAt, closedAt).lastInsertRowid);
          this.st.reminder.run(id, 'action', actionId, closedAt + 3 * DAY, 'cancelled', null);
          this.counts.actions++;
          this.counts.reminders++;
        }
      }
    })();
    this.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
}
