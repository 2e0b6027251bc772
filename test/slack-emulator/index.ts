/** Slack emulator, driver and helpers for end-to-end tests. */
export { SlackEmulator, type CallRecord, type SlackEmulatorOptions, type WaitForOptions } from './emulator.js';
export { SlackDriver } from './driver.js';
export type * from './driver.js';
export type { Fault, InjectOptions, InjectedFault, RateLimit } from './faults.js';
export type { Violation, ViolationKind } from './method-context.js';
export * from './state.js';
export { LIMITS, checkBlocks, checkView } from './block-kit.js';
export { slackSignature, signatureHeaders, type SignatureMode } from './signing.js';
export type { SubmissionValue } from './view-state.js';
export { SocketModeEndpoint, type DeliverOptions, type DeliveryRecord, type DisconnectReason, type Envelope, type EnvelopeType, type SocketAck, type SocketModeOptions } from './socket-mode.js';
