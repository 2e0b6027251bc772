/** Finding the incident a request is about: by its channel, or by the id carried in a button or modal. */
import type { Incident } from '../../domain/incident.js';
import type { Store } from '../../app/ports.js';

/** The incident whose channel this is, or null. */
export function incidentInChannel(store: Store, channelId: string | undefined): Promise<Incident | null> {
  return channelId ? store.incidents.byChannel(channelId) : Promise.resolve(null);
}

/** Parses the incident id a button value or private_metadata carries (`"12"` or `"12:3"`). */
export function idFromValue(value: string | undefined): number | null {
  const m = /^(\d{1,12})(?::|$)/.exec(value ?? '');
  return m ? Number(m[1]) : null;
}
