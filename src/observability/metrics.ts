/** Prometheus metrics the SRE looks at: commands, Slack calls, open incidents, outbox, circuits, ack latency. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { VERSION } from './version.js';

/** All metrics of one bot instance (a registry per instance keeps tests isolated). */
export class Metrics {
  readonly registry = new Registry();
  readonly commands = new Counter({ name: 'incident_bot_commands_total', help: 'Commands handled, by subcommand and outcome', labelNames: ['subcommand', 'outcome'] as const, registers: [this.registry] });
  readonly slackCalls = new Counter({ name: 'incident_bot_slack_api_calls_total', help: 'Slack Web API calls, by method and outcome', labelNames: ['method', 'outcome'] as const, registers: [this.registry] });
  readonly incidentsOpen = new Gauge({ name: 'incident_bot_incidents_open', help: 'Open (not resolved or closed) incidents by severity', labelNames: ['severity'] as const, registers: [this.registry] });
  readonly outboxDepth = new Gauge({ name: 'incident_bot_outbox_depth', help: 'Outbox items by state', labelNames: ['state'] as const, registers: [this.registry] });
  readonly outboxRetries = new Counter({ name: 'incident_bot_outbox_retries_total', help: 'Outbox delivery retries, by effect kind and reason', labelNames: ['kind', 'reason'] as const, registers: [this.registry] });
  readonly outboxDelivered = new Counter({ name: 'incident_bot_outbox_delivered_total', help: 'Outbox items delivered or given up, by effect kind and outcome', labelNames: ['kind', 'outcome'] as const, registers: [this.registry] });
  readonly targetRetries = new Counter({ name: 'incident_bot_outbox_target_retries_total', help: 'Outbox delivery retries, by target (slack, pagerduty, statuspage, github) and reason', labelNames: ['target', 'reason'] as const, registers: [this.registry] });
  readonly targetDelivered = new Counter({ name: 'incident_bot_outbox_target_delivered_total', help: 'Outbox items delivered or given up, by target and outcome', labelNames: ['target', 'outcome'] as const, registers: [this.registry] });
  readonly targetDepth = new Gauge({ name: 'incident_bot_outbox_target_depth', help: 'Outbox items by target and state', labelNames: ['target', 'state'] as const, registers: [this.registry] });
  readonly targetCalls = new Counter({ name: 'incident_bot_target_calls_total', help: 'Calls to PagerDuty, Statuspage and GitHub, by target, operation and outcome', labelNames: ['target', 'operation', 'outcome'] as const, registers: [this.registry] });
  readonly targetCircuit = new Gauge({ name: 'incident_bot_target_circuit_state', help: 'Circuit breaker per target and operation: 0 closed, 1 half-open, 2 open', labelNames: ['target', 'operation'] as const, registers: [this.registry] });
  readonly socketConnected = new Gauge({ name: 'incident_bot_slack_socket_connected', help: 'Socket Mode link to Slack: 1 connected, 0 not connected (always 0 in HTTP mode)', registers: [this.registry] });
  readonly hookRequests = new Counter({ name: 'incident_bot_hook_requests_total', help: 'Requests to /hooks/* (alertmanager, grafana, pagerduty, …), by hook and answered status', labelNames: ['hook', 'status'] as const, registers: [this.registry] });
  readonly circuitState = new Gauge({ name: 'incident_bot_circuit_state', help: 'Circuit breaker per Slack method: 0 closed, 1 half-open, 2 open', labelNames: ['method'] as const, registers: [this.registry] });
  readonly ackLatency = new Histogram({ name: 'incident_bot_ack_latency_seconds', help: 'Time from receiving a Slack request to acknowledging it', labelNames: ['type'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3], registers: [this.registry] });
  readonly remindersFired = new Counter({ name: 'incident_bot_reminders_fired_total', help: 'Reminders fired by the scheduler', registers: [this.registry] });

  readonly slackTokenRefused = new Gauge({ name: 'incident_bot_slack_token_refused', help: '1 while Slack refuses the bot token (invalid_auth, token_revoked, account_inactive, ...), else 0', registers: [this.registry] });

  readonly buildInfo = new Gauge({ name: 'incident_bot_build_info', help: 'Always 1; its labels say which build runs: the bot version and the Node.js version', labelNames: ['version', 'nodejs'] as const, registers: [this.registry] });

  constructor(defaults = true) {
    this.buildInfo.set({ version: VERSION, nodejs: process.version }, 1);
    if (defaults) {
      collectDefaultMetrics({ register: this.registry });
      // Gauges named like counters fail `promtool check metrics`; the same numbers remain, by type, in nodejs_active_{handles,requests,resources}.
      for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    }
  }
}
