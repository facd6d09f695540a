import type { ConditionGroup } from '../conditions/schema.js';
import type { JourneySettings } from '../graph/settings.js';
import type { TriggerPlan, WaitPlan } from '../sdk/compile-types.js';
import type { NodeCategory } from '../sdk/node-type.js';

/** Bumped when the shape below changes; stored with each published version. */
export const COMPILED_FORMAT_VERSION = 1;

/**
 * A json-rules-engine rule as data: `event.type` is the port to follow (or `exit` / `goal`).
 * Priorities are ≥ 1 and unique within a list; the highest that holds decides.
 */
export interface CompiledRule {
  readonly name: string;
  readonly priority: number;
  readonly conditions: ConditionGroup;
  readonly event: { readonly type: string };
}

export interface CompiledNode {
  readonly type: string;
  readonly typeVersion: number;
  readonly category: NodeCategory;
  readonly label: string | null;
  /** The config parsed by the node type's schema, defaults applied. */
  readonly config: unknown;
  readonly ports: readonly string[];
  /** Port → the node it leads to. Every port is connected; `exit` has none. */
  readonly next: Readonly<Record<string, string>>;
  readonly rules: readonly CompiledRule[];
  /** The port when no rule holds; `null` means stay (a wait for an event that did not match). */
  readonly defaultPort: string | null;
  /** Facts the rules read, so the runtime can prepare exactly those. */
  readonly facts: readonly string[];
  readonly wait: WaitPlan | null;
}

export type CompiledTrigger = TriggerPlan & { readonly nodeId: string; readonly type: string };

export interface CompiledJourney {
  readonly format: typeof COMPILED_FORMAT_VERSION;
  readonly schemaVersion: number;
  readonly trigger: CompiledTrigger;
  /** Event name → the trigger node and the rule that admits an event (event triggers only). */
  readonly triggers: Readonly<Record<string, { readonly nodeId: string; readonly rule: CompiledRule }>>;
  /** Node id → compiled node, keys sorted. */
  readonly nodes: Readonly<Record<string, CompiledNode>>;
  /** Event name → the `wait.event` nodes resumed by it, for the runtime's routing index. */
  readonly waitingOn: Readonly<Record<string, readonly string[]>>;
  /** From `settings.exitOn`: rules with `event.type` `exit`, one per event. */
  readonly exit: { readonly events: readonly string[]; readonly rules: readonly CompiledRule[] };
  /** From `settings.goal`: one rule with `event.type` `goal`, and the attribution window. */
  readonly goal: {
    readonly event: string;
    readonly withinMs: number;
    readonly rules: readonly CompiledRule[];
  } | null;
  readonly settings: JourneySettings;
  /** Settings durations in milliseconds. */
  readonly timing: {
    readonly cooldownMs: number | null;
    readonly frequencyCapPerMs: number | null;
  };
}
