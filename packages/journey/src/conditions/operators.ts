import type { Engine } from 'json-rules-engine';
import { tryParseDuration } from '../duration.js';

/**
 * The operators a condition may use. json-rules-engine's own versions of the first ten are
 * replaced by these so that one table defines the semantics for the engine, the reference
 * interpreter and the docs (the built-ins coerce numeric strings; ours do not).
 */
export const conditionOperatorNames = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'startsWith',
  'withinLast',
  'before',
  'after',
  'exists',
] as const;

export type ConditionOperatorName = (typeof conditionOperatorNames)[number];

/** `now` is the evaluation instant in epoch milliseconds, used by `withinLast`. */
export type ConditionOperator = (factValue: unknown, value: unknown, now: number) => boolean;

/** A date as JSON carries it: an ISO-8601 string or epoch milliseconds. */
export function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function contains(factValue: unknown, value: unknown): boolean {
  if (typeof factValue === 'string') return typeof value === 'string' && factValue.includes(value);
  return Array.isArray(factValue) && factValue.includes(value);
}

function compareDates(factValue: unknown, value: unknown, test: (fact: number, bound: number) => boolean) {
  const fact = toEpochMs(factValue);
  const bound = toEpochMs(value);
  return fact !== null && bound !== null && test(fact, bound);
}

/**
 * Pure implementations, keyed by name. A missing or mistyped fact value makes every operator
 * false except `notEqual`, `notIn` and `exists: false`. They run per condition per event: no
 * allocation in them.
 */
export const conditionOperators: Readonly<Record<ConditionOperatorName, ConditionOperator>> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  lessThan: (a, b) => typeof a === 'number' && typeof b === 'number' && a < b,
  lessThanInclusive: (a, b) => typeof a === 'number' && typeof b === 'number' && a <= b,
  greaterThan: (a, b) => typeof a === 'number' && typeof b === 'number' && a > b,
  greaterThanInclusive: (a, b) => typeof a === 'number' && typeof b === 'number' && a >= b,
  in: (a, b) => Array.isArray(b) && b.includes(a),
  notIn: (a, b) => Array.isArray(b) && !b.includes(a),
  contains,
  doesNotContain: (a, b) => (typeof a === 'string' || Array.isArray(a)) && !contains(a, b),
  startsWith: (a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b),
  withinLast: (a, b, now) => {
    const at = toEpochMs(a);
    const window = typeof b === 'string' ? tryParseDuration(b) : null;
    return at !== null && window !== null && at >= now - window && at <= now;
  },
  before: (a, b) => compareDates(a, b, (fact, bound) => fact < bound),
  after: (a, b) => compareDates(a, b, (fact, bound) => fact > bound),
  exists: (a, b) => (a !== undefined && a !== null) === (b !== false),
};

/**
 * Registers Touchline's condition operators on a json-rules-engine `Engine`. `now` is read at
 * each evaluation, so a pooled engine can be pointed at the instant of the event it evaluates.
 *
 * @example
 * const engine = new Engine();
 * registerConditionOperators(engine, () => Date.now());
 */
export function registerConditionOperators(engine: Engine, now: () => number): void {
  for (const name of conditionOperatorNames) {
    const operator = conditionOperators[name];
    engine.addOperator<unknown, unknown>(name, (factValue, value) => operator(factValue, value, now()));
  }
}
