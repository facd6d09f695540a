import type { Condition, ConditionGroup, ConditionLeaf } from '@touchline/journey';
import { pick } from './random.js';

// A small vocabulary, so generated facts often hit the same paths the conditions read.
const leafMakers: readonly ((random: () => number) => ConditionLeaf)[] = [
  (r) => ({
    fact: 'profile',
    path: 'traits.plan',
    operator: pick(r, ['equal', 'notEqual', 'startsWith'] as const),
    value: pick(r, ['pro', 'free']),
  }),
  (r) => ({
    fact: 'profile',
    path: 'traits.plan',
    operator: pick(r, ['in', 'notIn'] as const),
    value: ['pro', 'team'],
  }),
  (r) => ({
    fact: 'profile',
    path: 'computed.orders_count',
    operator: pick(r, [
      'lessThan',
      'lessThanInclusive',
      'greaterThan',
      'greaterThanInclusive',
      'equal',
    ] as const),
    value: pick(r, [0, 1, 2, 5]),
  }),
  (r) => ({
    fact: 'profile',
    path: 'traits.tags',
    operator: pick(r, ['contains', 'doesNotContain'] as const),
    value: 'vip',
  }),
  (r) => ({ fact: 'profile', path: 'traits.email', operator: 'exists', value: r() < 0.5 }),
  (r) => ({
    fact: 'profile',
    path: 'traits.signed_up_at',
    operator: pick(r, ['before', 'after'] as const),
    value: '2025-05-30T00:00:00Z',
  }),
  (r) => ({
    fact: 'event',
    path: 'properties.total',
    operator: pick(r, ['greaterThan', 'lessThanInclusive'] as const),
    value: 50,
  }),
  () => ({
    fact: 'event',
    path: 'properties.sku',
    operator: 'equal',
    value: { fact: 'journey', path: 'triggerEvent.properties.sku' },
  }),
  (r) => ({
    fact: 'inSegment',
    params: { segmentId: pick(r, ['seg_a', 'seg_b']) },
    operator: 'equal',
    value: r() < 0.7,
  }),
  (r) => ({
    fact: 'eventCount',
    params: { name: 'viewed_product', within: 'P7D' },
    operator: pick(r, ['greaterThan', 'equal'] as const),
    value: pick(r, [0, 1, 2]),
  }),
  (r) => ({
    fact: 'lastEvent',
    params: { name: 'viewed_product' },
    path: 'timestamp',
    operator: 'withinLast',
    value: pick(r, ['P1D', 'P3D']),
  }),
];

function condition(random: () => number, depth: number): Condition {
  if (depth <= 0 || random() < 0.45) return pick(random, leafMakers)(random);
  return group(random, depth - 1);
}

/** A random, schema-valid condition group of depth up to `depth`. */
export function group(random: () => number, depth: number): ConditionGroup {
  const size = 1 + Math.floor(random() * 3);
  const children = Array.from({ length: size }, () => condition(random, depth));
  const kind = random();
  if (kind < 0.4) return { all: children };
  if (kind < 0.8) return { any: children };
  return { not: children[0]! };
}
