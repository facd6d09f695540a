import type { CompiledRule } from '../compile/compiled-journey.js';
import { conditionOperators } from '../conditions/operators.js';
import { resolveSegments } from '../conditions/path.js';
import type { Condition, ConditionLeaf } from '../conditions/schema.js';
import { forEachLeaf } from '../conditions/walk.js';
import type { JourneyFacts } from './facts.js';

/**
 * The dynamic-fact answers of one evaluation, one slot per distinct fact and params of the rule
 * list (numbered when it is compiled): `UNSET`, a promise while the fact is read, then its value.
 */
type Slots = unknown[];

/**
 * A compiled condition: a boolean at once when every leaf it reached read a static fact or a
 * dynamic fact that answered without a promise; a promise only from the first pending fact on.
 */
type Test = (facts: JourneyFacts, now: number, slots: Slots) => boolean | Promise<boolean>;

const UNSET: unique symbol = Symbol('unset');
const NO_SLOTS: Slots = [];

const staticFacts = new Set(['event', 'profile', 'journey', 'bucket']);

function undefinedFact(name: string): Error {
  // The message json-rules-engine's UndefinedFactError carries, so logs read the same.
  return new Error(`Undefined fact: ${name}`);
}

function staticValue(facts: JourneyFacts, name: string): unknown {
  const value = facts[name as 'event'];
  if (value === undefined) throw undefinedFact(name);
  return value;
}

/** json-rules-engine awaits whatever a fact returns, so any thenable counts as pending. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * A path read compiled once: json-rules-engine's rule (`factValueAtPath`) that a path applied to
 * a non-object (a number from `eventCount`, a `null` from `lastEvent`) yields the value itself.
 */
function reader(path: string | undefined): (value: unknown) => unknown {
  if (!path) return (value) => value;
  const segments = path.split('.');
  return (value) => (value === null || typeof value !== 'object' ? value : resolveSegments(value, segments));
}

/** The right-hand side: the literal, or a value read from a static fact (`{ fact, path }`). */
function rightSide(leaf: ConditionLeaf): ((facts: JourneyFacts) => unknown) | null {
  const { value } = leaf;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const read = reader(value.path);
  return (facts) => read(staticValue(facts, value.fact));
}

function compileLeaf(leaf: ConditionLeaf, slotOf: (leaf: ConditionLeaf) => number): Test {
  const operator = conditionOperators[leaf.operator];
  const { fact, value } = leaf;
  const read = reader(leaf.path);
  const right = rightSide(leaf);
  if (staticFacts.has(fact)) {
    return right
      ? (facts, now) => operator(read(staticValue(facts, fact)), right(facts), now)
      : (facts, now) => operator(read(staticValue(facts, fact)), value, now);
  }
  // A dynamic fact is read once per evaluation and params, as json-rules-engine's almanac does,
  // and only when the leaf is reached; awaited only if it answers with a promise.
  const { params } = leaf as ConditionLeaf & { params: unknown };
  const slot = slotOf(leaf);
  const decide = (answer: unknown, facts: JourneyFacts, now: number) =>
    operator(read(answer), right ? right(facts) : value, now);
  return (facts, now, slots) => {
    let answer = slots[slot];
    if (answer === UNSET) {
      const lookup = facts[fact as 'eventCount'] as ((params: unknown) => unknown) | undefined;
      if (!lookup) throw undefinedFact(fact);
      answer = lookup(params);
      if (isThenable(answer)) {
        // Settled, the value replaces the promise: later leaves on the same fact read it at once.
        answer = Promise.resolve(answer).then((settled) => {
          slots[slot] = settled;
          return settled;
        });
      }
      slots[slot] = answer;
    }
    return answer instanceof Promise
      ? answer.then((settled) => decide(settled, facts, now))
      : decide(answer, facts, now);
  };
}

function compileTree(condition: Condition, slotOf: (leaf: ConditionLeaf) => number): Test {
  if ('not' in condition) {
    const inner = compileTree(condition.not, slotOf);
    return (facts, now, slots) => {
      const result = inner(facts, now, slots);
      return typeof result === 'boolean' ? !result : result.then((r) => !r);
    };
  }
  if ('all' in condition || 'any' in condition) {
    const every = 'all' in condition;
    const children = (
      every ? (condition as { all: Condition[] }).all : (condition as { any: Condition[] }).any
    ).map((child) => compileTree(child, slotOf));
    // Children in order, stopping at the first that settles the group; a pending child makes
    // the rest wait for it, so a database lookup runs only when its answer can matter.
    const from = (
      facts: JourneyFacts,
      now: number,
      slots: Slots,
      start: number,
    ): boolean | Promise<boolean> => {
      for (let i = start; i < children.length; i++) {
        const result = (children[i] as Test)(facts, now, slots);
        if (typeof result !== 'boolean')
          return result.then((r) => (r !== every ? !every : from(facts, now, slots, i + 1)));
        if (result !== every) return !every;
      }
      return every;
    };
    return (facts, now, slots) => from(facts, now, slots, 0);
  }
  return compileLeaf(condition, slotOf);
}

interface CompiledCheck {
  /** The rule's index in the list as given. */
  readonly index: number;
  readonly test: Test;
  /** Static facts the rule reads: one left out fails the rule as json-rules-engine would. */
  readonly reads: readonly string[];
}

/**
 * A rule list compiled once into plain functions: the json-rules-engine rules of a compiled
 * journey, evaluated with json-rules-engine's meaning (highest priority first, first match wins,
 * Touchline's operators and paths, an undefined fact an error) but without an engine run per
 * event. `rule-evaluator.ts` keeps the engine itself; the differential tests hold the two equal.
 *
 * An evaluation answers at once, with no promise, unless a dynamic fact it reaches answers with
 * one; from there it continues when that fact settles.
 */
export class CompiledRules {
  readonly rules: readonly CompiledRule[];
  readonly #checks: readonly CompiledCheck[];
  readonly #slotCount: number;
  /** Slots lent to one evaluation at a time and taken back when it ends without a promise. */
  #spare: Slots | null = null;

  constructor(rules: readonly CompiledRule[]) {
    this.rules = rules;
    const slotByKey = new Map<string, number>();
    const slotOf = (leaf: ConditionLeaf) => {
      const key = `${leaf.fact}:${JSON.stringify((leaf as { params?: unknown }).params)}`;
      let slot = slotByKey.get(key);
      if (slot === undefined) {
        slot = slotByKey.size;
        slotByKey.set(key, slot);
      }
      return slot;
    };
    this.#checks = rules
      .map((rule, index) => ({ rule, index }))
      // Highest priority first; equal priorities keep their listed order.
      .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
      .map(({ rule, index }) => {
        const reads = new Set<string>();
        forEachLeaf(rule.conditions, '', (leaf) => {
          if (staticFacts.has(leaf.fact)) reads.add(leaf.fact);
          const value = leaf.value;
          if (value !== null && typeof value === 'object' && !Array.isArray(value)) reads.add(value.fact);
        });
        return { index, test: compileTree(rule.conditions, slotOf), reads: [...reads] };
      });
    this.#slotCount = slotByKey.size;
  }

  /**
   * The highest-priority rule that holds, or `null`: at once when no dynamic fact it reached
   * answered with a promise, else a promise.
   */
  evaluate(facts: JourneyFacts, now: number): CompiledRule | null | Promise<CompiledRule | null> {
    const index = this.evaluateIndex(facts, now);
    if (typeof index === 'number') return index < 0 ? null : (this.rules[index] as CompiledRule);
    return index.then((i) => (i < 0 ? null : (this.rules[i] as CompiledRule)));
  }

  /** `evaluate` as the rule's index in the list given to the constructor, `-1` for none. */
  evaluateIndex(facts: JourneyFacts, now: number): number | Promise<number> {
    if (this.#slotCount === 0) return this.#from(facts, now, NO_SLOTS, 0);
    const slots = this.#spare ?? new Array<unknown>(this.#slotCount).fill(UNSET);
    this.#spare = null;
    const result = this.#from(facts, now, slots, 0);
    if (typeof result === 'number') {
      // Nothing pending holds these slots: reset, they serve the next evaluation.
      slots.fill(UNSET);
      this.#spare = slots;
    }
    return result;
  }

  #from(facts: JourneyFacts, now: number, slots: Slots, start: number): number | Promise<number> {
    const checks = this.#checks;
    for (let i = start; i < checks.length; i++) {
      const { index, test, reads } = checks[i] as CompiledCheck;
      for (let r = 0; r < reads.length; r++) staticValue(facts, reads[r] as string);
      const holds = test(facts, now, slots);
      if (holds === true) return index;
      if (holds !== false) return holds.then((h) => (h ? index : this.#from(facts, now, slots, i + 1)));
    }
    return -1;
  }
}
