export { GroupCommitter, SubmissionFailed } from './pipeline/group-commit.js';
export {
  type IdentityKind,
  type IdentityPlan,
  identityKeysOf,
  type KnownIdentity,
  planIdentities,
} from './pipeline/identities.js';
export {
  IngestPipeline,
  type IngestResult,
  type PipelineLogger,
  type PipelineOptions,
} from './pipeline/pipeline.js';
export {
  aggregateProfileUpdates,
  isTimezone,
  normalisePhone,
  type ProfileUpdate,
  revenueCents,
} from './pipeline/profile-updates.js';
export { IngestConflict, type Rejection } from './pipeline/store.js';
export * from './settings.js';
export { ingestLimits } from './spec/limits.js';
export {
  aliasMessage,
  batchBody,
  groupMessage,
  identifyMessage,
  isMessageType,
  type MessageType,
  messageSchemas,
  messageTypes,
  pageMessage,
  screenMessage,
  trackMessage,
} from './spec/messages.js';
export {
  type FieldIssue,
  type IngestEvent,
  type Normalized,
  type NormalizeOptions,
  normalizeMessage,
} from './spec/normalize.js';
