import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/slack/actions/registry.js';
import type { RoleAssignment } from '../../src/domain/incident.js';
import { isOurPageIncident, mayPublish, pageIncidentMetadata, parsePublicStatus } from '../../src/domain/statuspage.js';

const role = (r: RoleAssignment['role'], userId: string, endedAt: number | null = null): RoleAssignment => ({ incidentId: 1, role: r, userId, assignedBy: 'U0', assignedAt: 0, endedAt });

describe('status page rules', () => {
  it('anyone publishes while neither Comms Lead nor IC is assigned; then only they do', () => {
    expect(mayPublish([], 'U9').ok).toBe(true);
    expect(mayPublish([role('tech', 'U1')], 'U9').ok).toBe(true);
    expect(mayPublish([role('comms', 'U2', 5)], 'U9').ok).toBe(true); // an ended assignment holds nothing
    expect(mayPublish([role('comms', 'U2'), role('ic', 'U3')], 'U2').ok).toBe(true);
    expect(mayPublish([role('comms', 'U2'), role('ic', 'U3')], 'U3').ok).toBe(true);
    expect(mayPublish([role('comms', 'U2'), role('ic', 'U3')], 'U9')).toEqual({ ok: false, holders: ['U2', 'U3'] });
  });

  it('recognises its own page incident only by the marker it set', () => {
    expect(isOurPageIncident({ metadata: pageIncidentMetadata('INC-7') }, 'INC-7')).toBe(true);
    expect(isOurPageIncident({ metadata: pageIncidentMetadata('INC-7') }, 'INC-17')).toBe(false);
    expect(isOurPageIncident({ metadata: {} }, 'INC-7')).toBe(false);
    expect(isOurPageIncident({}, 'INC-7')).toBe(false);
  });

  it('parses the command: status words case-insensitive, message required, no text opens the form', () => {
    expect(parsePublicStatus('Monitoring')).toBe('monitoring');
    expect(parsePublicStatus('mitigating')).toBeUndefined();
    expect(parseCommand('statuspage IDENTIFIED Payments are failing.')).toEqual({ kind: 'statuspage', status: 'identified', message: 'Payments are failing.' });
    expect(parseCommand('statuspage')).toEqual({ kind: 'statuspage_modal' });
    expect(parseCommand('statuspage resolved')).toMatchObject({ kind: 'error', usage: expect.stringContaining('/incident statuspage') });
    expect(parseCommand('statuspage fixed it')).toMatchObject({ kind: 'error', message: expect.stringContaining('investigating, identified, monitoring or resolved') });
  });
});
