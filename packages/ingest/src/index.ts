export { GroupCommitter, SubmissionFailed } from '@touchline/db';
export {
  type ColumnPlan,
  type CsvColumn,
  type CsvImportKind,
  canonicalName,
  planColumns,
} from './csv/columns.js';
export {
  createImport,
  findImport,
  type ImportErrorRow,
  type ImportProgress,
  listImportErrors,
  listImports,
  maxStoredImportErrors,
} from './csv/import-store.js';
export { csvImportSource, csvMessageId, normalizeRow, type RowIssue, rowToMessage } from './csv/rows.js';
export { type ImportOutcome, type RunImportOptions, runImport } from './csv/run-import.js';
export { parseCsvTimestamp, type ValueType } from './csv/values.js';
export {
  type IdentityKind,
  type IdentityPlan,
  identityKeysOf,
  type KnownIdentity,
  planIdentities,
} from './pipeline/identities.js';
export {
  IngestOverloaded,
  IngestPipeline,
  type IngestResult,
  type JourneyHandoff,
  type PipelineLogger,
  type PipelineOptions,
} from './pipeline/pipeline.js';
export {
  isTimezone,
  normalisePhone,
  type ProfileChanges,
  profileChangesOf,
  revenueCents,
} from './pipeline/profile-updates.js';
export { IngestConflict, type Rejection } from './pipeline/store.js';
export { recomputeRfm } from './rfm.js';
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
