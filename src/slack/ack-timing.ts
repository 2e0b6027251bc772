/** Times the acknowledgement of every kind of Slack request (commands, actions, views, shortcuts, options), in both modes. */
import type { App, ReceiverEvent } from '@slack/bolt';
import type { Metrics } from '../observability/metrics.js';

/** The ack-latency label of a request body. */
export function requestKind(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'command';
  switch (body.type) {
    case 'block_actions': case 'interactive_message': return 'action';
    case 'view_submission': case 'view_closed': return 'view';
    case 'shortcut': case 'message_action': return 'shortcut';
    case 'block_suggestion': return 'options';
    case 'event_callback': return 'event';
    default: return 'other';
  }
}

// The acks already called, so the one error path knows whether to ack or to answer through response_url.
const acked = new WeakSet<object>();

/** Whether this request's ack (as handed to listeners and middleware) has been called. */
export function wasAcked(ack: object): boolean {
  return acked.has(ack);
}

/** Wraps the ack every receiver hands to Bolt, so the first ack of each request is observed from when it arrived. */
export function timeAcks(app: App, metrics: Metrics): void {
  const process = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const receivedAt = typeof event.customProperties?.receivedAt === 'number' ? event.customProperties.receivedAt : performance.now();
    const ack = event.ack;
    let done = false;
    const timed: typeof ack = async (response) => {
      acked.add(timed);
      try {
        return await ack(response);
      } finally {
        if (!done) {
          done = true;
          metrics.ackLatency.observe({ type: requestKind(event.body) }, (performance.now() - receivedAt) / 1000);
        }
      }
    };
    return process({ ...event, ack: timed });
  };
}
