import type { CompiledJourney, CompiledNode, CompiledRule } from '../compile/compiled-journey.js';
import { CompiledRules } from './compiled-rules.js';
import type { JourneyFacts } from './facts.js';

// Keyed by the rules array inside a compiled journey: evaluators live as long as the compiled
// version the runtime holds, and go with it.
const evaluators = new WeakMap<readonly CompiledRule[], CompiledRules>();

function evaluatorFor(rules: readonly CompiledRule[]): CompiledRules {
  let evaluator = evaluators.get(rules);
  if (!evaluator) {
    evaluator = new CompiledRules(rules);
    evaluators.set(rules, evaluator);
  }
  return evaluator;
}

/** A node's evaluator with its possible decisions made once, so deciding allocates nothing. */
interface NodeEvaluator {
  readonly rules: CompiledRules;
  /** By rule index, then the default port's decision: the answers `CompiledRules.pick` picks from. */
  readonly decisions: readonly NodeDecision[];
}

const nodeEvaluators = new WeakMap<CompiledNode, NodeEvaluator>();

function nodeEvaluatorFor(nodeId: string, node: CompiledNode): NodeEvaluator {
  let evaluator = nodeEvaluators.get(node);
  if (!evaluator) {
    const decisions = [
      ...node.rules.map((rule) => Object.freeze({ nodeId, port: rule.event.type, rule })),
      Object.freeze({ nodeId, port: node.defaultPort, rule: null }),
    ];
    evaluator = { rules: evaluatorFor(node.rules), decisions };
    nodeEvaluators.set(node, evaluator);
  }
  return evaluator;
}

export interface EvaluateOptions {
  /** The instant conditions such as `withinLast` are judged at; defaults to the current time. */
  readonly now?: Date | number;
}

/** Which port a node leaves by, and the rule that decided it (`null`: the default port). */
export interface NodeDecision {
  readonly nodeId: string;
  readonly port: string | null;
  readonly rule: CompiledRule | null;
}

function instant(options: EvaluateOptions): number {
  const { now } = options;
  if (now === undefined) return Date.now();
  return typeof now === 'number' ? now : now.getTime();
}

/** A value, or a promise of it: rules that read static facts only decide without a promise. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Evaluates a compiled list of rules (a node's, `exit.rules` or `goal.rules`) and returns the
 * first that holds. Each list is compiled to functions once (json-rules-engine's meaning, no
 * engine run per event) and reused; safe under concurrent calls. The answer is a promise only
 * when a dynamic fact (`eventCount`, `inSegment`, `lastEvent`) it reached answered with one;
 * on a hot path, await it only then. A missing fact throws, or rejects once a promise is out.
 *
 * @example
 * const exit = await evaluateRules(compiled.exit.rules, { event });
 * if (exit) await exitEnrollment(enrollment, exit.name);
 */
export function evaluateRules(
  rules: readonly CompiledRule[],
  facts: JourneyFacts,
  options: EvaluateOptions = {},
): MaybePromise<CompiledRule | null> {
  return evaluatorFor(rules).evaluate(facts, instant(options));
}

/**
 * Decides which port an enrollment leaves `nodeId` by: the port of the first rule that holds,
 * else the node's default port (`null` for a `wait.event` whose rule did not match: stay).
 * For a trigger node, port `out` means the event enrolls. The decision is synchronous unless a
 * dynamic fact answered with a promise (see `evaluateRules`); decisions are shared, frozen objects.
 *
 * @example
 * const pending = evaluateNode(compiled, 'has_ordered', { event, profile, journey, eventCount });
 * const decision = pending instanceof Promise ? await pending : pending;
 * // { nodeId: 'has_ordered', port: 'no', rule: null }
 * const nextNodeId = decision.port ? compiled.nodes[decision.nodeId]?.next[decision.port] : undefined;
 */
export function evaluateNode(
  compiled: CompiledJourney,
  nodeId: string,
  facts: JourneyFacts,
  options: EvaluateOptions = {},
): MaybePromise<NodeDecision> {
  const node = compiled.nodes[nodeId];
  if (!node) throw new Error(`compiled journey has no node "${nodeId}"`);
  const { rules, decisions } = nodeEvaluatorFor(nodeId, node);
  return rules.pick(facts, instant(options), decisions);
}
