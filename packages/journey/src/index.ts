export { eventNamed } from './compile/assemble.js';
export { canonicalJson, sortKeysDeep } from './compile/canonical.js';
export { type CompileResult, compile } from './compile/compile.js';
export type { CompileOptions } from './compile/compile-nodes.js';
export {
  COMPILED_FORMAT_VERSION,
  type CompiledJourney,
  type CompiledNode,
  type CompiledRule,
  type CompiledTrigger,
} from './compile/compiled-journey.js';
export { interpretCondition } from './conditions/interpret.js';
export {
  type ConditionOperator,
  type ConditionOperatorName,
  conditionOperatorNames,
  conditionOperators,
  registerConditionOperators,
  toEpochMs,
} from './conditions/operators.js';
export { factPathSchema, factValueAtPath, resolvePath } from './conditions/path.js';
export {
  type Condition,
  type ConditionGroup,
  type ConditionLeaf,
  conditionGroupSchema,
  conditionLeafSchema,
  conditionSchema,
  conditionValueSchema,
  dynamicFactNames,
  type FactName,
  factReferenceSchema,
  staticFactNames,
} from './conditions/schema.js';
export { factsOf, forEachLeaf } from './conditions/walk.js';
export { DurationError, parseDuration, tryParseDuration } from './duration.js';
export { type JourneyError, type JourneyErrorCode, journeyErrorCodes } from './errors.js';
export { CompiledRules } from './evaluate/compiled-rules.js';
export {
  type EvaluateOptions,
  evaluateNode,
  evaluateRules,
  type MaybePromise,
  type NodeDecision,
} from './evaluate/evaluate-node.js';
export type {
  DynamicFact,
  EventCountParams,
  InSegmentParams,
  JourneyFacts,
  LastEventParams,
} from './evaluate/facts.js';
export { RuleEvaluator as EngineRuleEvaluator } from './evaluate/rule-evaluator.js';
export { describeIssue, type FieldIssue, formatIssues } from './graph/format-issues.js';
export {
  CURRENT_SCHEMA_VERSION,
  type JourneyEdge,
  type JourneyGraph,
  type JourneyGraphInput,
  type JourneyNode,
  journeyEdgeSchema,
  journeyGraphSchema,
  journeyNodeSchema,
  positionSchema,
} from './graph/journey-graph.js';
export {
  dateTimeSchema,
  durationSchema,
  identifierSchema,
  positiveDurationSchema,
  timeOfDaySchema,
  timezoneSchema,
} from './graph/primitives.js';
export {
  audienceRangeSchema,
  frequencyCapSchema,
  goalSchema,
  type JourneySettings,
  type JourneySettingsInput,
  journeySettingsSchema,
  quietHoursSchema,
  reentrySchema,
} from './graph/settings.js';
export { type MessagingSettings, messagingPolicyOf, messagingSettingsSchema } from './messaging.js';
export {
  type DocumentMigration,
  type DocumentMigrationResult,
  documentMigrations,
  migrateJourneyDocument,
} from './migrations/document.js';
export { migrateNodeConfig, type NodeConfigMigrationResult } from './migrations/node-config.js';
export { type CronSchedule, cronRunsOn, parseCron } from './schedule/cron.js';
export type {
  NodeCompileContext,
  NodeCompileIssue,
  NodeCompileOutput,
  RuleSpec,
  TriggerPlan,
  WaitPlan,
} from './sdk/compile-types.js';
export {
  defineNodeType,
  type NodeCategory,
  type NodeConfigMigration,
  type NodeInstance,
  type NodeInstanceResult,
  type NodeType,
  type NodeTypeSpec,
} from './sdk/node-type.js';
export { describeNodeViews, type NodeView } from './sdk/node-views.js';
export {
  createRegistry,
  type JsonSchema,
  type NodeTypeDescription,
  type NodeTypeRegistry,
} from './sdk/registry.js';
export type { NodeRunContext, NodeRunResult } from './sdk/run-types.js';
