import type { CompiledRule } from '../compile/compiled-journey.js';
import { conditionOperators } from '../conditions/operators.js';
import { factValueAtPath } from '../conditions/path.js';
import type { Condition, ConditionLeaf } from '../conditions/schema.js';
import { forEachLeaf } from '../conditions/walk.js';
import type { JourneyFacts } from './facts.js';

/** One evaluation: the facts, the instant, and dynamic-fact results shared by its leaves. */
interface Evaluation {
  readonly facts: JourneyFacts;
  readonly now: number;
  /** Made on the first dynamic fact: most evaluations read static facts only. */
  dynamic: Map<string, Promise<unknown>> | undefined;
}

type Test = (evaluation: Evaluation) => boolean | Promise<boolean>;

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

/** A dynamic fact is fetched once per evaluation and params, as json-rules-engine's almanac does. */
function dynamicValue(evaluation: Evaluation, leaf: ConditionLeaf & { params: unknown }): Promise<unknown> {
  const key = `${leaf.fact}:${JSON.stringify(leaf.params)}`;
  evaluation.dynamic ??= new Map();
  let value = evaluation.dynamic.get(key);
  if (!value) {
    const fact = evaluation.facts[leaf.fact as 'eventCount'] as ((params: unknown) => unknown) | undefined;
    if (!fact) throw undefinedFact(leaf.fact);
    value = Promise.resolve(fact(leaf.params));
    evaluation.dynamic.set(key, value);
  }
  return value;
}

function compileLeaf(leaf: ConditionLeaf): Test {
  const operator = conditionOperators[leaf.operator];
  const { path, value } = leaf;
  const reference = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  const right = (facts: JourneyFacts) =>
    reference ? factValueAtPath(staticValue(facts, reference.fact), reference.path) : value;
  if (staticFacts.has(leaf.fact)) {
    const { fact } = leaf;
    return ({ facts, now }) => operator(factValueAtPath(staticValue(facts, fact), path), right(facts), now);
  }
  const dynamicLeaf = leaf as ConditionLeaf & { params: unknown };
  return async (evaluation) =>
    operator(
      factValueAtPath(await dynamicValue(evaluation, dynamicLeaf), path),
      right(evaluation.facts),
      evaluation.now,
    );
}

function compileTree(condition: Condition): Test {
  if ('not' in condition) {
    const inner = compileTree(condition.not);
    return (evaluation) => {
      const result = inner(evaluation);
      return typeof result === 'boolean' ? !result : result.then((r) => !r);
    };
  }
  if ('all' in condition || 'any' in condition) {
    const every = 'all' in condition;
    const children = (
      every ? (condition as { all: Condition[] }).all : (condition as { any: Condition[] }).any
    ).map(compileTree);
    // Children in order, stopping at the first that settles the group; a dynamic child makes
    // the rest wait for it, so a database lookup runs only when its answer can matter.
    return (evaluation) => {
      for (let i = 0; i < children.length; i++) {
        const result = (children[i] as Test)(evaluation);
        if (typeof result !== 'boolean') return finish(result, children, i, evaluation, every);
        if (result !== every) return !every;
      }
      return every;
    };
  }
  return compileLeaf(condition);
}

async function finish(
  pending: Promise<boolean>,
  children: readonly Test[],
  index: number,
  evaluation: Evaluation,
  every: boolean,
): Promise<boolean> {
  if ((await pending) !== every) return !every;
  for (let i = index + 1; i < children.length; i++) {
    if ((await (children[i] as Test)(evaluation)) !== every) return !every;
  }
  return every;
}

interface CompiledCheck {
  readonly rule: CompiledRule;
  readonly test: Test;
  /** Static facts the rule reads: one left out fails the rule as json-rules-engine would. */
  readonly reads: readonly string[];
}

/**
 * A rule list compiled once into plain functions: the json-rules-engine rules of a compiled
 * journey, evaluated with json-rules-engine's meaning (highest priority first, first match wins,
 * Touchline's operators and paths, an undefined fact an error) but without an engine run per
 * event. `rule-evaluator.ts` keeps the engine itself; the differential tests hold the two equal.
 */
export class CompiledRules {
  readonly #checks: readonly CompiledCheck[];

  constructor(rules: readonly CompiledRule[]) {
    this.#checks = [...rules]
      .map((rule, order) => ({ rule, order }))
      // Highest priority first; equal priorities keep their listed order.
      .sort((a, b) => b.rule.priority - a.rule.priority || a.order - b.order)
      .map(({ rule }) => {
        const reads = new Set<string>();
        forEachLeaf(rule.conditions, '', (leaf) => {
          if (staticFacts.has(leaf.fact)) reads.add(leaf.fact);
          const value = leaf.value;
          if (value !== null && typeof value === 'object' && !Array.isArray(value)) reads.add(value.fact);
        });
        return { rule, test: compileTree(rule.conditions), reads: [...reads] };
      });
  }

  /**
   * The highest-priority rule that holds, or `null`: at once when the rules read static facts
   * only (no promise on the hot path), else a promise.
   */
  evaluate(facts: JourneyFacts, now: number): CompiledRule | null | Promise<CompiledRule | null> {
    const evaluation: Evaluation = { facts, now, dynamic: undefined };
    const checks = this.#checks;
    for (let i = 0; i < checks.length; i++) {
      const { rule, test, reads } = checks[i] as CompiledCheck;
      for (const name of reads) staticValue(facts, name);
      const holds = test(evaluation);
      if (typeof holds !== 'boolean') return this.#settle(holds, i, evaluation);
      if (holds) return rule;
    }
    return null;
  }

  async #settle(
    pending: Promise<boolean>,
    index: number,
    evaluation: Evaluation,
  ): Promise<CompiledRule | null> {
    const checks = this.#checks;
    if (await pending) return (checks[index] as CompiledCheck).rule;
    for (let i = index + 1; i < checks.length; i++) {
      const { rule, test, reads } = checks[i] as CompiledCheck;
      for (const name of reads) staticValue(evaluation.facts, name);
      if (await test(evaluation)) return rule;
    }
    return null;
  }
}
