/** Alerts in: an alert group or a PagerDuty webhook declares, joins or is recorded on an incident, in one commit per delivery. */
import { type AlertGroupIntent, type AlertIntent, type PagerDutyIntent, alertLine, declarationOf } from '../domain/alerts.js';
import { type Incident, incidentRef, isActive } from '../domain/incident.js';
import { type Deps, record } from './context.js';
import { declareIn } from './declare-incident.js';
import type { Repos } from './ports.js';

/** One incident a hook delivery touched, as the hook answers it. */
export interface HookOutcome {
  incident: string;
  declared: boolean;
}

const SOURCE_NAMES = { alertmanager: 'Alertmanager', grafana: 'Grafana', pagerduty: 'PagerDuty' } as const;

/** Applies a delivered alert group: new firing alerts declare (or join the group's open incident), repeats add nothing, resolved alerts are recorded. */
export async function ingestAlertGroup(deps: Deps, group: AlertGroupIntent): Promise<HookOutcome[]> {
  const now = deps.clock();
  const source = group.source;
  return deps.store.transaction(async (tx) => {
    // On PostgreSQL this takes the group's lock until commit: two replicas handed the same delivery decide one after the other.
    await tx.requests.get(`alert_group:${source}:${group.groupKey}`);
    const touched = new Map<number, boolean>();
    const touch = (id: number, declared = false) => touched.set(id, (touched.get(id) ?? false) || declared);
    const fresh: AlertIntent[] = [];
    const resolved = new Map<number, AlertIntent[]>();
    const activeCache = new Map<number, boolean>();
    const active = async (id: number) => {
      if (!activeCache.has(id)) activeCache.set(id, isActive((await tx.incidents.get(id))?.status ?? 'closed'));
      return activeCache.get(id)!;
    };
    for (const a of group.alerts) {
      const latest = await tx.alerts.latest(source, a.fingerprint);
      if (a.status === 'firing') {
        // The same firing (same start) is a re-send; while its incident is open a re-fire adds nothing either.
        if (latest && (latest.startsAt === a.startsAt || (await active(latest.incidentId)))) { touch(latest.incidentId); continue; }
        fresh.push(a);
      } else if (latest && latest.status === 'firing') {
        await tx.alerts.markResolved(latest.id, now);
        resolved.set(latest.incidentId, [...(resolved.get(latest.incidentId) ?? []), a]);
        touch(latest.incidentId);
      } else if (latest) {
        touch(latest.incidentId);
      } // else: a resolved alert the bot never saw firing; nothing to record.
    }
    if (fresh.length) {
      const joinId = await tx.alerts.openIncidentOfGroup(source, group.groupKey);
      if (joinId !== null) {
        await link(tx, source, group.groupKey, joinId, fresh, now);
        for (const a of fresh) await record(tx, joinId, now, 'alert', SOURCE_NAMES[source], alertLine(a, 'joined'));
        await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: joinId, notice: { type: 'alerts', verb: 'joined', lines: fresh.map((a) => alertLine(a, 'firing')) } }, now);
        touch(joinId);
      } else {
        const d = declarationOf(fresh);
        const incident = await declareIn(tx, deps.policy, { ...d, userId: SOURCE_NAMES[source], responseUrl: null }, now);
        await link(tx, source, group.groupKey, incident.id, fresh, now);
        for (const a of fresh) await record(tx, incident.id, now, 'alert', SOURCE_NAMES[source], alertLine(a, 'firing'));
        touch(incident.id, true);
      }
    }
    for (const [incidentId, list] of resolved) {
      for (const a of list) await record(tx, incidentId, now, 'alert', SOURCE_NAMES[source], alertLine(a, 'resolved'));
      if (await isOpenEnough(tx, incidentId)) {
        await tx.outbox.enqueue({ kind: 'channel_notice', incidentId, notice: { type: 'alerts', verb: 'resolved', lines: list.map((a) => alertLine(a, 'resolved')) } }, now);
      }
    }
    return [...touched].map(([id, declared]) => ({ incident: incidentRef(id), declared }));
  });
}

async function link(tx: Repos, source: string, groupKey: string, incidentId: number, alerts: AlertIntent[], now: number): Promise<void> {
  for (const a of alerts) await tx.alerts.add({ source, fingerprint: a.fingerprint, startsAt: a.startsAt, groupKey, incidentId, firstSeenAt: now });
}

/** A closed incident's channel is archived: say nothing there. */
async function isOpenEnough(tx: Repos, incidentId: number): Promise<boolean> {
  const i: Incident | null = await tx.incidents.get(incidentId);
  return !!i && i.status !== 'closed';
}

/** Applies a PagerDuty V3 webhook once per event id: `incident.triggered` declares once per PagerDuty incident, `incident.resolved` is recorded. */
export async function ingestPagerDuty(deps: Deps, intent: PagerDutyIntent): Promise<HookOutcome[]> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const key = `pagerduty_event:${intent.eventId}`;
    const seen = await tx.requests.get(key);
    if (seen !== undefined) return ((seen ?? []) as HookOutcome[]).map((o) => ({ ...o, declared: false }));
    let outcomes: HookOutcome[] = [];
    // Locks the PagerDuty incident (PostgreSQL) so two events about it on two replicas never both declare.
    await tx.requests.get(`pagerduty_incident:${intent.kind === 'ignored' ? intent.eventId : intent.pdIncidentId}`);
    if (intent.kind === 'triggered') {
      const latest = await tx.alerts.latest('pagerduty', intent.pdIncidentId);
      if (latest) {
        outcomes = [{ incident: incidentRef(latest.incidentId), declared: false }];
      } else {
        const summary = `PagerDuty incident${intent.number !== null ? ` #${intent.number}` : ''}${intent.url ? `: ${intent.url}` : ''}`;
        const incident = await declareIn(tx, deps.policy, { title: intent.title, severity: intent.severity, summary, services: intent.services, userId: 'PagerDuty', responseUrl: null }, now, { fromPagerDuty: true });
        await tx.alerts.add({ source: 'pagerduty', fingerprint: intent.pdIncidentId, startsAt: 0, groupKey: intent.pdIncidentId, incidentId: incident.id, firstSeenAt: now });
        await record(tx, incident.id, now, 'alert', 'PagerDuty', `PagerDuty incident triggered: ${intent.title}${intent.url ? ` ${intent.url}` : ''}`);
        outcomes = [{ incident: incidentRef(incident.id), declared: true }];
      }
    } else if (intent.kind === 'resolved') {
      const latest = await tx.alerts.latest('pagerduty', intent.pdIncidentId);
      if (latest) {
        outcomes = [{ incident: incidentRef(latest.incidentId), declared: false }];
        if (latest.status === 'firing') {
          await tx.alerts.markResolved(latest.id, now);
          const line = `PagerDuty incident resolved: ${intent.title}${intent.url ? ` ${intent.url}` : ''}`;
          await record(tx, latest.incidentId, now, 'alert', 'PagerDuty', line);
          if (await isOpenEnough(tx, latest.incidentId)) await tx.outbox.enqueue({ kind: 'channel_notice', incidentId: latest.incidentId, notice: { type: 'alerts', verb: 'resolved', lines: [line] } }, now);
        }
      }
    }
    await tx.requests.put(key, outcomes, now);
    return outcomes;
  });
}
