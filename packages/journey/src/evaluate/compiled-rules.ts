import type { CompiledRule } from '../compile/compiled-journey.js';
import { conditionOperators } from '../conditions/operators.js';
import { resolveSegments } from '../conditions/path.js';
import type { Condition, ConditionLeaf } from '../conditions/schema.js';
import { forEachLeaf } from '../conditions/walk.js';
import type { JourneyFacts } from './facts.js';

/**
 * The dynamic-fact answers of one evaluation, one slot per distinct fact and params of the rule
 * list (numbered when it is compiled): `UNSET`, then what the fact returned, a pending promise
 * replaced by its value once settled. The slot after the last holds the number of the slot an
 * evaluation waits on.
 */
type Slots = unknown[];

/** A test's answer when it reached a dynamic fact still pending: the evaluation waits, then replays. */
const PENDING: unique symbol = Symbol('pending');
type Outcome = boolean | typeof PENDING;

/** A compiled condition. Pure given its facts and slots, so it can be run again once a fact settles. */
type Test = (facts: JourneyFacts, now: number, slots: Slots) => Outcome;

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

interface Numbering {
  /** The slot of a dynamic fact with its params. */
  readonly slotOf: (leaf: ConditionLeaf) => number;
  /** Where an evaluation notes the slot it waits on: after the last fact slot, once all are known. */
  readonly waitingAt: () => number;
}

function compileLeaf(leaf: ConditionLeaf, numbering: Numbering): Test {
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
  // and only when the leaf is reached; the evaluation waits only if it answers with a promise.
  const { params } = leaf as ConditionLeaf & { params: unknown };
  const slot = numbering.slotOf(leaf);
  let waitingAt = -1;
  return (facts, now, slots) => {
    let answer = slots[slot];
    if (answer === UNSET) {
      const lookup = facts[fact as 'eventCount'] as ((params: unknown) => unknown) | undefined;
      if (!lookup) throw undefinedFact(fact);
      answer = lookup(params);
      slots[slot] = answer;
      if (isThenable(answer)) {
        if (waitingAt < 0) waitingAt = numbering.waitingAt();
        slots[waitingAt] = slot;
        return PENDING;
      }
    }
    return operator(read(answer), right ? right(facts) : value, now);
  };
}

function compileTree(condition: Condition, numbering: Numbering): Test {
  if ('not' in condition) {
    const inner = compileTree(condition.not, numbering);
    return (facts, now, slots) => {
      const result = inner(facts, now, slots);
      return result === PENDING ? PENDING : !result;
    };
  }
  if ('all' in condition || 'any' in condition) {
    const every = 'all' in condition;
    const children = (
      every ? (condition as { all: Condition[] }).all : (condition as { any: Condition[] }).any
    ).map((child) => compileTree(child, numbering));
    // Children in order, stopping at the first that settles the group; a pending child stops
    // the rest, so a database lookup runs only when its answer can matter.
    return (facts, now, slots) => {
      for (let i = 0; i < children.length; i++) {
        const result = (children[i] as Test)(facts, now, slots);
        if (result === PENDING) return PENDING;
        if (result !== every) return !every;
      }
      return every;
    };
  }
  return compileLeaf(condition, numbering);
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
 * one; then it waits for that fact alone and carries on from the rule that read it.
 */
export class CompiledRules {
  readonly rules: readonly CompiledRule[];
  readonly #checks: readonly CompiledCheck[];
  /** The rules, then `null`: what `evaluate` answers, by index (`-1`: none held). */
  readonly #answers: readonly (CompiledRule | null)[];
  /** Fact slots, plus one for the slot waited on; 0 when the rules read no dynamic fact. */
  readonly #slotCount: number;
  /** Slots lent to one evaluation at a time and taken back when it ends without waiting. */
  #spare: Slots | null = null;

  constructor(rules: readonly CompiledRule[]) {
    this.rules = rules;
    this.#answers = [...rules, null];
    const slotByKey = new Map<string, number>();
    const numbering: Numbering = {
      slotOf: (leaf) => {
        const key = `${leaf.fact}:${JSON.stringify((leaf as { params?: unknown }).params)}`;
        let slot = slotByKey.get(key);
        if (slot === undefined) {
          slot = slotByKey.size;
          slotByKey.set(key, slot);
        }
        return slot;
      },
      waitingAt: () => slotByKey.size,
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
        return { index, test: compileTree(rule.conditions, numbering), reads: [...reads] };
      });
    this.#slotCount = slotByKey.size === 0 ? 0 : slotByKey.size + 1;
  }

  /**
   * The highest-priority rule that holds, or `null`: at once unless a dynamic fact it reached
   * answered with a promise, else a promise.
   */
  evaluate(facts: JourneyFacts, now: number): CompiledRule | null | Promise<CompiledRule | null> {
    return this.pick(facts, now, this.#answers);
  }

  /**
   * `evaluate`, answered from `answers`: `answers[i]` when rule `i` (as given to the
   * constructor) is the one that holds, the last entry when none does. Lets a caller map rules
   * to answers made once (a node's decisions) without a step per evaluation.
   */
  pick<T>(facts: JourneyFacts, now: number, answers: readonly T[]): T | Promise<T> {
    if (this.#slotCount === 0) {
      return answers[this.#from(facts, now, NO_SLOTS, 0)] as T;
    }
    const slots = this.#spare ?? new Array<unknown>(this.#slotCount).fill(UNSET);
    this.#spare = null;
    const at = this.#from(facts, now, slots, 0);
    if (at >= 0) {
      // Nothing waits on these slots: reset, they serve the next evaluation.
      slots.fill(UNSET);
      this.#spare = slots;
      return answers[at] as T;
    }
    return this.#wait(facts, now, slots, -1 - at, answers);
  }

  /**
   * The index in `answers` (the rule's, or `rules.length` for none), or `-1 - i` when check
   * `i` waits on a fact.
   */
  #from(facts: JourneyFacts, now: number, slots: Slots, start: number): number {
    const checks = this.#checks;
    for (let i = start; i < checks.length; i++) {
      const { index, test, reads } = checks[i] as CompiledCheck;
      for (let r = 0; r < reads.length; r++) staticValue(facts, reads[r] as string);
      const holds = test(facts, now, slots);
      if (holds === true) return index;
      if (holds === PENDING) return -1 - i;
    }
    return this.rules.length;
  }

  /**
   * Waits for the fact a check reached, then runs that check again with the answer in its
   * slot (its tests are pure, the facts already read are not read again) and goes on: one
   * wait per pending fact, no promise per condition.
   */
  async #wait<T>(
    facts: JourneyFacts,
    now: number,
    slots: Slots,
    check: number,
    answers: readonly T[],
  ): Promise<T> {
    const waitingAt = this.#slotCount - 1;
    for (;;) {
      const slot = slots[waitingAt] as number;
      slots[slot] = await (slots[slot] as PromiseLike<unknown>);
      const at = this.#from(facts, now, slots, check);
      if (at >= 0) return answers[at] as T;
      check = -1 - at;
    }
  }
}
