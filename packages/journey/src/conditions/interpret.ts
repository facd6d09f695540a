import type { JourneyFacts } from '../evaluate/facts.js';
import { conditionOperators } from './operators.js';
import { factValueAtPath } from './path.js';
import type { Condition, ConditionLeaf } from './schema.js';

async function factValue(facts: JourneyFacts, leaf: ConditionLeaf): Promise<unknown> {
  switch (leaf.fact) {
    case 'inSegment':
      if (!facts.inSegment) throw new Error('Undefined fact: inSegment');
      return facts.inSegment(leaf.params);
    case 'eventCount':
      if (!facts.eventCount) throw new Error('Undefined fact: eventCount');
      return facts.eventCount(leaf.params);
    case 'lastEvent':
      if (!facts.lastEvent) throw new Error('Undefined fact: lastEvent');
      return facts.lastEvent(leaf.params);
    default:
      return staticFact(facts, leaf.fact);
  }
}

function staticFact(facts: JourneyFacts, name: 'event' | 'profile' | 'journey' | 'bucket'): unknown {
  const value = facts[name];
  if (value === undefined) throw new Error(`Undefined fact: ${name}`);
  return value;
}

/**
 * The reference meaning of a condition tree, evaluated directly and without json-rules-engine.
 * The compiler's output is tested against it; the simulator can use it to explain a branch.
 *
 * @example
 * await interpretCondition(
 *   { all: [{ fact: 'profile', path: 'traits.vip', operator: 'equal', value: true }] },
 *   { profile: { traits: { vip: true } } },
 *   Date.now(),
 * ); // true
 */
export async function interpretCondition(
  condition: Condition,
  facts: JourneyFacts,
  now: number,
): Promise<boolean> {
  if ('all' in condition) {
    for (const child of condition.all) if (!(await interpretCondition(child, facts, now))) return false;
    return true;
  }
  if ('any' in condition) {
    for (const child of condition.any) if (await interpretCondition(child, facts, now)) return true;
    return false;
  }
  if ('not' in condition) return !(await interpretCondition(condition.not, facts, now));
  const left = factValueAtPath(await factValue(facts, condition), condition.path);
  const { value } = condition;
  const right =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? factValueAtPath(staticFact(facts, value.fact), value.path)
      : value;
  return conditionOperators[condition.operator](left, right, now);
}
