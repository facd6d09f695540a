import type { ConditionLeaf } from '../conditions/schema.js';

type ParamsOf<F extends ConditionLeaf['fact']> =
  Extract<ConditionLeaf, { fact: F }> extends { params: infer P } ? P : never;

export type InSegmentParams = ParamsOf<'inSegment'>;
export type EventCountParams = ParamsOf<'eventCount'>;
export type LastEventParams = ParamsOf<'lastEvent'>;

/** A fact computed on demand; json-rules-engine caches its result per params within one run. */
export type DynamicFact<P, R> = (params: P) => R | Promise<R>;

/**
 * The facts a node's rules are evaluated against. Static facts are plain values; dynamic facts
 * are functions the runtime backs with its stores. A rule that reads a fact left out here fails
 * loudly (json-rules-engine's `UndefinedFactError`) rather than quietly taking a branch; the
 * compiled node lists the facts it reads in `facts`.
 *
 * - `event`: the current event, Segment-spec: `{ event, properties, timestamp, ... }`.
 * - `profile`: `{ userId, traits, computed, ... }` — traits and computed traits.
 * - `journey`: the enrollment context, `{ triggerEvent, variables, assignments }`; `wait.event`
 *   correlation reads `journey.triggerEvent`.
 * - `bucket`: a number in [0, 1), stable per enrollment and node, read by random splits.
 */
export interface JourneyFacts {
  readonly event?: unknown;
  readonly profile?: unknown;
  readonly journey?: unknown;
  readonly bucket?: number;
  readonly inSegment?: DynamicFact<InSegmentParams, boolean>;
  readonly eventCount?: DynamicFact<EventCountParams, number>;
  readonly lastEvent?: DynamicFact<LastEventParams, unknown>;
}
