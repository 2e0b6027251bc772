/** The public status page: which statuses may be published, who may publish, and how the bot finds its own page incident again. */
import type { RoleAssignment } from './incident.js';

export const PUBLIC_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
/** A status as Atlassian Statuspage shows it for a realtime incident. */
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

/** Human labels of the public statuses. */
export const PUBLIC_STATUS_LABELS: Record<PublicStatus, string> = {
  investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved',
};

/** A publication asked for by a person: what the page will say. */
export interface Publication {
  id: number;
  incidentId: number;
  status: PublicStatus;
  message: string;
  by: string;
  at: number;
  publishedAt: number | null;
}

/** The status page incident that mirrors one of ours, once created. */
export interface PageIncident {
  incidentId: number;
  pageIncidentId: string;
  shortlink: string | null;
  status: PublicStatus;
  updatedAt: number;
}

/** Longest message accepted for the page (Statuspage bodies are plain text; keep them readable). */
export const MAX_PUBLIC_MESSAGE = 3000;

/** Parses a public status word (case-insensitive); undefined for anything else. */
export function parsePublicStatus(word: string): PublicStatus | undefined {
  const w = word.trim().toLowerCase();
  return (PUBLIC_STATUSES as readonly string[]).includes(w) ? (w as PublicStatus) : undefined;
}

/**
 * Whether `userId` may publish: a public statement belongs to the Communications Lead or the IC; while neither role is
 * held, anyone in the channel may publish (someone has to, and the roles are not yet handed out).
 */
export function mayPublish(roles: readonly RoleAssignment[], userId: string): { ok: true } | { ok: false; holders: string[] } {
  const holders = roles.filter((r) => r.endedAt === null && (r.role === 'comms' || r.role === 'ic')).map((r) => r.userId);
  if (holders.length === 0 || holders.includes(userId)) return { ok: true };
  return { ok: false, holders: [...new Set(holders)] };
}

/** Metadata stored on the page incident so that, after an ambiguous failure, the bot recognises the one it created. */
export function pageIncidentMetadata(ref: string): Record<string, Record<string, string>> {
  return { incident_bot: { ref } };
}

/** Whether a page incident (as listed by the API) is the one the bot created for `ref`. */
export function isOurPageIncident(candidate: { metadata?: unknown }, ref: string): boolean {
  const meta = candidate.metadata as { incident_bot?: { ref?: unknown } } | undefined;
  return meta?.incident_bot?.ref === ref;
}
