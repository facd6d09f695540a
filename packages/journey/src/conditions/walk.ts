import type { Condition, ConditionLeaf } from './schema.js';

/**
 * Calls `visit` for every leaf of a condition tree, with the leaf's dotted path from `path`.
 *
 * @example
 * forEachLeaf(config.conditions, 'conditions', (leaf, at) => console.log(at, leaf.fact));
 */
export function forEachLeaf(
  condition: Condition,
  path: string,
  visit: (leaf: ConditionLeaf, path: string) => void,
): void {
  if ('all' in condition) {
    for (const [index, child] of condition.all.entries()) forEachLeaf(child, `${path}.all.${index}`, visit);
  } else if ('any' in condition) {
    for (const [index, child] of condition.any.entries()) forEachLeaf(child, `${path}.any.${index}`, visit);
  } else if ('not' in condition) {
    forEachLeaf(condition.not, `${path}.not`, visit);
  } else {
    visit(condition, path);
  }
}

/** The facts a condition tree reads, including facts referenced as values; sorted. */
export function factsOf(conditions: readonly Condition[]): string[] {
  const facts = new Set<string>();
  for (const condition of conditions) {
    forEachLeaf(condition, '', (leaf) => {
      facts.add(leaf.fact);
      const { value } = leaf;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) facts.add(value.fact);
    });
  }
  return [...facts].sort();
}
