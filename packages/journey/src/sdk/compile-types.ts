import type { ConditionGroup } from '../conditions/schema.js';
import type { JourneyErrorCode } from '../errors.js';

/** A rule a node asks for: when `conditions` hold, follow `port`. Listed in first-match order. */
export interface RuleSpec {
  readonly port: string;
  readonly conditions: ConditionGroup;
}

/** How an enrollment waits at a node; the runtime turns this into a scheduled job. */
export type WaitPlan =
  | { readonly kind: 'duration'; readonly durationMs: number; readonly port: string }
  | {
      readonly kind: 'until';
      /** `HH:MM` in `timezone`, the next occurrence; or `at`, an absolute date-time. */
      readonly time: string | null;
      readonly at: string | null;
      readonly timezone: string;
      readonly port: string;
    }
  | {
      readonly kind: 'event';
      readonly event: string;
      /** The event path that must equal the trigger event's value at `triggerEventPath`. */
      readonly correlate: { readonly eventPath: string; readonly triggerEventPath: string } | null;
      readonly timeoutMs: number;
      readonly receivedPort: string;
      readonly timeoutPort: string;
    };

/** How profiles enter the journey. Event triggers also carry the node rule that admits an event. */
export type TriggerPlan =
  | { readonly kind: 'event'; readonly event: string }
  | { readonly kind: 'segment'; readonly segmentId: string; readonly on: 'enter' | 'exit' }
  | {
      readonly kind: 'schedule';
      readonly segmentId: string;
      readonly cron: string | null;
      readonly at: string | null;
      readonly everyMs: number | null;
      readonly timezone: string;
    }
  | { readonly kind: 'api' };

/** What a node type's `compile` returns; every field is optional. */
export interface NodeCompileOutput {
  /** Port-deciding rules, first match wins. */
  readonly rules?: readonly RuleSpec[];
  /** The port to follow when no rule fires; `null` means "stay" (a wait for an event). */
  readonly defaultPort?: string | null;
  readonly wait?: WaitPlan;
  readonly trigger?: TriggerPlan;
}

/** A problem a node type's `compile` found, beyond what its schema can see. */
export interface NodeCompileIssue {
  readonly code: Extract<JourneyErrorCode, 'unknown_template' | 'unknown_segment' | 'invalid_config'>;
  readonly message: string;
  /** Dotted path inside the node's config. */
  readonly path?: string;
  readonly port?: string;
}

/**
 * Handed to `compile`. Reference sets are present when the caller knows them (the server passes
 * the workspace's template and segment ids); checks against an absent set pass.
 */
export interface NodeCompileContext {
  readonly nodeId: string;
  readonly templates?: ReadonlySet<string>;
  readonly segments?: ReadonlySet<string>;
  report(issue: NodeCompileIssue): void;
  /** Reports `unknown_template` when `templates` is known and lacks `templateId`. */
  checkTemplate(templateId: string, path: string): void;
  /** Reports `unknown_segment` when `segments` is known and lacks `segmentId`. */
  checkSegment(segmentId: string, path: string): void;
  /** Checks every `inSegment` reference inside a condition tree. */
  checkConditions(conditions: ConditionGroup, path: string): void;
}
