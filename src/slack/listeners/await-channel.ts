/** Waiting briefly for a new incident's channel, so the command reply can carry the link in the common case. */
import type { Deps } from '../../app/context.js';
import type { Incident } from '../../domain/incident.js';

/** The incident once its channel exists (claiming the declarer's reply), or null after `timeoutMs`. */
export async function awaitChannel(deps: Deps, incidentId: number, timeoutMs: number): Promise<Incident | null> {
  const deadline = performance.now() + timeoutMs;
  // Quick first looks, then slower ones: many declarations waiting at once must not flood the database.
  for (let pollMs = 20; ; pollMs = Math.min(pollMs * 2, 160)) {
    const incident = await deps.store.incidents.get(incidentId);
    if (incident?.channelId) {
      // Whoever claims the reply first sends the link: this ack, or the outbox after its grace period.
      const won = await deps.store.transaction(async (tx) => {
        if ((await tx.requests.get(`declared_reply:${incidentId}`)) !== undefined) return false;
        await tx.requests.put(`declared_reply:${incidentId}`, 'ack', deps.clock());
        return true;
      });
      return won ? incident : null;
    }
    if (performance.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(1, deadline - performance.now()))));
  }
}
