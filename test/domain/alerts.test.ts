import { describe, expect, it } from 'vitest';
import {
  alertGroupIntent, alertmanagerPayload, declarationOf, defuse, describeIssues, grafanaPayload, pagerDutyIntent, pagerDutySeverity, pagerDutyWebhook,
  parsePageSeverities, parseSeverityMap, worstSeverity,
} from '../../src/domain/alerts.js';
import { alertmanagerBody, grafanaBody, pagerDutyBody } from '../hook-senders.js';

const map = (parseSeverityMap('critical=SEV1,page=SEV1,error=SEV2,warning=SEV3,info=SEV4') as { map: ReadonlyMap<string, 'SEV1'> }).map;

describe('alert payloads → intents', () => {
  it('maps an Alertmanager v4 group: worst severity, summary as title, description, service label (else job), links', () => {
    const body = alertmanagerBody([{}, { fingerprint: 'f2', labels: { severity: 'critical', service: '', job: 'worker' }, annotations: { summary: 'Second', description: 'other' } }]);
    const intent = alertGroupIntent('alertmanager', alertmanagerPayload.parse(body), map);
    expect(intent.groupKey).toBe(body.groupKey);
    expect(intent.alerts.map((a) => [a.fingerprint, a.severity, a.services])).toEqual([['6f2b1c9a8e4d7035', 'SEV2', ['checkout']], ['f2', 'SEV1', ['worker']]]);
    expect(intent.alerts[0]!.links[0]).toMatchObject({ label: 'source' });
    const d = declarationOf(intent.alerts);
    expect(d).toMatchObject({ title: 'Checkout error rate above 2%', severity: 'SEV1', services: ['checkout', 'worker'] });
    expect(d.summary).toContain('5.3%');
  });

  it('unknown or missing severity labels give SEV3, and label values never reach a prototype', () => {
    for (const severity of ['', 'bogus', 'constructor', '__proto__', 'toString']) {
      const intent = alertGroupIntent('alertmanager', alertmanagerPayload.parse(alertmanagerBody([{ labels: { severity } }])), map);
      expect(intent.alerts[0]!.severity, severity).toBe('SEV3');
    }
    expect(worstSeverity([])).toBe('SEV3');
  });

  it('maps Grafana with its extra links and accepts its version "1" and microsecond times', () => {
    const intent = alertGroupIntent('grafana', grafanaPayload.parse(grafanaBody()), map);
    expect(intent.alerts[0]!.severity).toBe('SEV1');
    expect(intent.alerts[0]!.links.map((l) => l.label)).toEqual(['source', 'dashboard', 'panel', 'silence']);
    expect(Number.isFinite(intent.alerts[0]!.startsAt)).toBe(true);
  });

  it('refuses malformed payloads with a path and a reason', () => {
    const bad = (body: unknown) => {
      const r = alertmanagerPayload.safeParse(body);
      expect(r.success).toBe(false);
      return describeIssues(r.error!);
    };
    expect(bad({ ...alertmanagerBody(), version: '3' })).toContain('version');
    expect(bad({ ...alertmanagerBody(), alerts: [] })).toContain('alerts: must hold at least one alert');
    expect(bad(alertmanagerBody([{ status: 'pending' as never }]))).toContain('alerts.0.status');
    expect(bad(alertmanagerBody([{ startsAt: 'yesterday' }]))).toContain('alerts.0.startsAt');
    expect(bad(alertmanagerBody([{ labels: { alertname: 'x'.repeat(3000) } }]))).toContain('alerts.0.labels.alertname');
    expect(bad('null')).toContain('body');
  });

  it('defuses mass mentions in alert text', () => {
    expect(defuse('<!channel> and @here and @Everyone')).not.toMatch(/<!channel>|(^|[^\u200b])@here|(^|[^\u200b])@Everyone/);
    const intent = alertGroupIntent('alertmanager', alertmanagerPayload.parse(alertmanagerBody([{ annotations: { summary: 'ping <!here>' } }])), map);
    expect(intent.alerts[0]!.summary).not.toContain('<!here>');
  });
});

describe('PagerDuty V3', () => {
  it('maps priority and urgency as the interface says', () => {
    expect(pagerDutySeverity('P1', 'low')).toBe('SEV1');
    expect(pagerDutySeverity('p2', 'low')).toBe('SEV2');
    expect(pagerDutySeverity('P3', 'high')).toBe('SEV2');
    expect(pagerDutySeverity(null, 'low')).toBe('SEV3');
    expect(pagerDutySeverity(undefined, undefined)).toBe('SEV3');
  });

  it('reads incident.triggered and incident.resolved; other events are ignored', () => {
    expect(pagerDutyIntent(pagerDutyWebhook.parse(pagerDutyBody()))).toMatchObject({ kind: 'triggered', eventId: '01DEN3F8QCJ3RD0JM3Q4N5SP6E', pdIncidentId: 'Q2XRV9QJ2K1L8M', severity: 'SEV2', services: ['Payments API'], number: 4127 });
    expect(pagerDutyIntent(pagerDutyWebhook.parse(pagerDutyBody({ eventType: 'incident.resolved' })))).toMatchObject({ kind: 'resolved' });
    expect(pagerDutyIntent(pagerDutyWebhook.parse(pagerDutyBody({ eventType: 'incident.acknowledged' })))).toMatchObject({ kind: 'ignored' });
  });
});

describe('settings', () => {
  it('parses ALERT_SEVERITY and PAGE_SEVERITIES, refusing bad entries with the right form', () => {
    expect('error' in parseSeverityMap('critical=SEV9')).toBe(true);
    expect(parseSeverityMap('Critical=sev1')).toEqual({ map: new Map([['critical', 'SEV1']]) });
    expect(parsePageSeverities('off')).toEqual([]);
    expect(parsePageSeverities('sev1, SEV3')).toEqual(['SEV1', 'SEV3']);
    expect(parsePageSeverities('SEV5')).toMatchObject({ error: expect.stringContaining('SEV1,SEV2') });
  });
});
