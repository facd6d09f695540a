import {
  type CompiledRule,
  type Condition,
  type ConditionLeaf,
  factValueAtPath,
  forEachLeaf,
  interpretCondition,
  type JourneyFacts,
} from '@touchline/journey';

/**
 * The simulator's "why": which rule decided a node and the value of every fact it read, in words
 * a marketer can check against the canvas. Leaves are judged one by one with the reference
 * interpreter; the port itself is always the one the runtime's rules chose.
 */

export interface Explanation {
  readonly reason: string;
  /** Fact label → the value the rule saw, e.g. `"profile.traits.plan": "pro"`. */
  readonly facts: Record<string, unknown>;
}

/** `eventCount(order_completed, within P2D)`, `profile.traits.plan`, `inSegment(vip)`. */
export function leafLabel(leaf: ConditionLeaf): string {
  const path = leaf.path ? `.${leaf.path}` : '';
  switch (leaf.fact) {
    case 'inSegment':
      return `inSegment(${leaf.params.segmentId})${path}`;
    case 'lastEvent':
      return `lastEvent(${leaf.params.name})${path}`;
    case 'eventCount': {
      const { name, where, within } = leaf.params;
      const filters = Object.entries(where ?? {}).map(([key, value]) => `${key} = ${show(value)}`);
      const args = [name, ...(filters.length ? [`where ${filters.join(' and ')}`] : [])];
      if (within) args.push(`within ${within}`);
      return `eventCount(${args.join(', ')})${path}`;
    }
    default:
      return `${leaf.fact}${path}`;
  }
}

/** A value as it reads in a sentence: JSON, `unset` for undefined, long values cut. */
export function show(value: unknown): string {
  if (value === undefined) return 'unset';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// The compiler adds `event.event equal <name>` to trigger and wait rules; the event's name is
// already in the sentence around it.
function isEventName(leaf: ConditionLeaf): boolean {
  return leaf.fact === 'event' && leaf.path === 'event' && leaf.operator === 'equal';
}

async function leafValue(leaf: ConditionLeaf, facts: JourneyFacts): Promise<unknown> {
  switch (leaf.fact) {
    case 'inSegment':
      return factValueAtPath(await facts.inSegment?.(leaf.params), leaf.path);
    case 'eventCount':
      return factValueAtPath(await facts.eventCount?.(leaf.params), leaf.path);
    case 'lastEvent':
      return factValueAtPath(await facts.lastEvent?.(leaf.params), leaf.path);
    default:
      return factValueAtPath(facts[leaf.fact], leaf.path);
  }
}

function expected(leaf: ConditionLeaf, facts: JourneyFacts): string {
  const { value } = leaf;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const label = value.path ? `${value.fact}.${value.path}` : value.fact;
    return `${label} (${show(factValueAtPath(facts[value.fact], value.path))})`;
  }
  return show(value);
}

/** Every leaf of `conditions` in words, with its value and whether it holds. */
export async function explainConditions(
  conditions: Condition,
  facts: JourneyFacts,
  now: number,
): Promise<Explanation> {
  const leaves: ConditionLeaf[] = [];
  forEachLeaf(conditions, '', (leaf) => {
    if (!isEventName(leaf)) leaves.push(leaf);
  });
  const parts: string[] = [];
  const values: Record<string, unknown> = {};
  for (const leaf of leaves) {
    const label = leafLabel(leaf);
    const value = await leafValue(leaf, facts);
    let verdict: string;
    try {
      verdict = (await interpretCondition(leaf, facts, now)) ? 'holds' : 'fails';
    } catch (error) {
      verdict = `cannot be judged: ${(error as Error).message}`;
    }
    values[label] = value ?? null;
    parts.push(`${label} is ${show(value)}: ${leaf.operator} ${expected(leaf, facts)} ${verdict}`);
  }
  return { reason: parts.join('; '), facts: values };
}

/**
 * Why a condition or split left by `port`: the rule that held and its values, or, for the
 * default port, every rule that did not hold.
 */
export async function explainDecision(
  rules: readonly CompiledRule[],
  decided: { port: string; rule: string | null },
  facts: JourneyFacts,
  now: number,
): Promise<Explanation> {
  const held = decided.rule === null ? undefined : rules.find((r) => r.name === decided.rule);
  if (held) {
    const why = await explainConditions(held.conditions, facts, now);
    return { reason: `rule ${held.name} held: ${why.reason}`, facts: why.facts };
  }
  const parts: string[] = [];
  const values: Record<string, unknown> = {};
  for (const rule of rules) {
    const why = await explainConditions(rule.conditions, facts, now);
    parts.push(`rule ${rule.name} did not hold: ${why.reason}`);
    Object.assign(values, why.facts);
  }
  const lead = `no rule held, so the default port "${decided.port}"`;
  return { reason: parts.length ? `${lead}; ${parts.join('; ')}` : lead, facts: values };
}
