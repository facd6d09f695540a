import {
  type Condition,
  type ConditionGroup,
  type ConditionLeaf,
  compile,
  conditionGroupSchema,
  interpretCondition,
} from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { describe, expect, it } from 'vitest';
import { type BuilderModel, emptyGroup, newId, parseConditions, serializeConditions } from './model';
import { formatTypedValue, parseList, parseTypedValue, valueForOperator } from './vocabulary';

const ordersAtLeast2: ConditionLeaf = {
  fact: 'profile',
  path: 'computed.orders_count',
  operator: 'greaterThanInclusive',
  value: 2,
};
const vip: ConditionLeaf = { fact: 'profile', path: 'traits.vip', operator: 'equal', value: true };
const orderedIn60Days: ConditionLeaf = {
  fact: 'eventCount',
  params: { name: 'order_completed', within: 'P60D' },
  operator: 'greaterThan',
  value: 0,
};
const cartOver50: ConditionLeaf = {
  fact: 'event',
  path: 'properties.total',
  operator: 'greaterThan',
  value: 50,
};

const roundTrip = (condition: Condition | undefined) =>
  serializeConditions(parseConditions(condition)).condition;

function compileCondition(conditions: unknown) {
  const registry = createBuiltinRegistry();
  return compile(
    {
      schemaVersion: 1,
      nodes: [
        {
          id: 'start',
          type: 'trigger.event',
          version: 1,
          config: { event: 'cart_updated' },
          position: { x: 0, y: 0 },
        },
        { id: 'check', type: 'condition', version: 1, config: { conditions }, position: { x: 0, y: 100 } },
        { id: 'end', type: 'exit', version: 1, config: {}, position: { x: 0, y: 200 } },
      ],
      edges: [
        { id: 'a', source: 'start', sourcePort: 'out', target: 'check' },
        { id: 'b', source: 'check', sourcePort: 'yes', target: 'end' },
        { id: 'c', source: 'check', sourcePort: 'no', target: 'end' },
      ],
      settings: { reentry: 'always' },
    },
    registry,
  );
}

describe('condition builder model', () => {
  it('sorts a top-level all into Attributes and Behaviour, and writes it back unchanged', () => {
    const condition: ConditionGroup = { all: [ordersAtLeast2, orderedIn60Days] };
    const model = parseConditions(condition);
    expect(model.layout).toBe('sections');
    if (model.layout !== 'sections') return;
    expect(model.sections.attributes.items.map((item) => item.kind === 'leaf' && item.leaf)).toEqual([
      ordersAtLeast2,
    ]);
    expect(model.sections.behaviour.items.map((item) => item.kind === 'leaf' && item.leaf)).toEqual([
      orderedIn60Days,
    ]);
    expect(roundTrip(condition)).toEqual(condition);
  });

  it('reads a section held in one group as that group: any (or) and not', () => {
    const condition: ConditionGroup = {
      all: [{ any: [ordersAtLeast2, vip] }, { not: { all: [orderedIn60Days] } }],
    };
    const model = parseConditions(condition);
    if (model.layout !== 'sections') throw new Error('expected sections');
    expect(model.sections.attributes).toMatchObject({ match: 'any', negate: false });
    expect(model.sections.behaviour).toMatchObject({ match: 'all', negate: true });
    expect(roundTrip(condition)).toEqual(condition);
  });

  it('keeps a tree that mixes attributes and behaviour in one group as a plain tree', () => {
    const condition: ConditionGroup = { any: [ordersAtLeast2, { all: [vip, orderedIn60Days] }] };
    expect(parseConditions(condition).layout).toBe('tree');
    expect(roundTrip(condition)).toEqual(condition);
  });

  it('writes a negated single condition as not of a group, which means the same', () => {
    expect(roundTrip({ not: vip })).toEqual({ not: { all: [vip] } });
  });

  it('leaves out empty groups, and writes nothing when there is no condition', () => {
    expect(roundTrip(undefined)).toBeUndefined();
    const model: BuilderModel = {
      layout: 'sections',
      sections: {
        event: emptyGroup(),
        attributes: {
          ...emptyGroup(),
          items: [
            { kind: 'leaf', id: newId(), leaf: vip },
            { kind: 'group', id: newId(), group: emptyGroup('any') },
          ],
        },
        behaviour: emptyGroup(),
      },
    };
    expect(serializeConditions(model).condition).toEqual({ all: [vip] });
  });

  it('knows where each row landed in the JSON, to put its errors beside it', () => {
    const model = parseConditions({ all: [cartOver50, { any: [ordersAtLeast2, vip] }, orderedIn60Days] });
    if (model.layout !== 'sections') throw new Error('expected sections');
    const { condition, paths } = serializeConditions(model);
    const [eventLeaf] = model.sections.event.items;
    const [, vipItem] = model.sections.attributes.items;
    expect(condition).toEqual({ all: [cartOver50, { any: [ordersAtLeast2, vip] }, orderedIn60Days] });
    expect(paths.get(eventLeaf!.id)).toBe('all.0');
    expect(paths.get(vipItem!.id)).toBe('all.1.any.1');
  });

  it('is stable: writing what it read, then reading and writing again, changes nothing', () => {
    const fixtures: Condition[] = [
      { all: [vip] },
      { any: [vip, ordersAtLeast2] },
      { not: { any: [orderedIn60Days, cartOver50] } },
      { all: [cartOver50, { any: [vip, { not: ordersAtLeast2 }] }, orderedIn60Days] },
      { all: [{ all: [vip] }] },
    ];
    for (const fixture of fixtures) {
      const once = roundTrip(fixture);
      expect(roundTrip(once), JSON.stringify(fixture)).toEqual(once);
    }
  });

  it('writes conditions the schema accepts and the compiler compiles', () => {
    const nested: BuilderModel = {
      layout: 'sections',
      sections: {
        event: emptyGroup(),
        attributes: {
          ...emptyGroup(),
          items: [
            { kind: 'leaf', id: newId(), leaf: ordersAtLeast2 },
            {
              kind: 'group',
              id: newId(),
              group: {
                ...emptyGroup('any'),
                items: [
                  { kind: 'leaf', id: newId(), leaf: vip },
                  {
                    kind: 'leaf',
                    id: newId(),
                    leaf: {
                      fact: 'profile',
                      path: 'computed.lifetime_value',
                      operator: 'greaterThan',
                      value: 500,
                    },
                  },
                ],
              },
            },
          ],
        },
        behaviour: {
          ...emptyGroup(),
          negate: true,
          items: [{ kind: 'leaf', id: newId(), leaf: orderedIn60Days }],
        },
      },
    };
    const { condition } = serializeConditions(nested);
    expect(conditionGroupSchema.safeParse(condition).success).toBe(true);
    const result = compileCondition(condition);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });
});

/** A small deterministic generator, so a failing tree can be found again. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const leaves: ConditionLeaf[] = [
  vip,
  ordersAtLeast2,
  cartOver50,
  orderedIn60Days,
  { fact: 'profile', path: 'computed.lifetime_value', operator: 'lessThan', value: 100 },
  { fact: 'event', path: 'properties.coupon', operator: 'exists', value: true },
];

function randomTree(next: () => number, depth: number): Condition {
  const pick = next();
  if (depth === 0 || pick < 0.35) return leaves[Math.floor(next() * leaves.length)]!;
  const children = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomTree(next, depth - 1));
  if (pick < 0.55) return { not: children[0]! };
  return pick < 0.8 ? { all: children } : { any: children };
}

describe('condition builder model on random trees', () => {
  it('writes back a tree that decides every person and event the same way', async () => {
    const next = random(7);
    const people = [
      { traits: { vip: true }, computed: { orders_count: 3, lifetime_value: 50 } },
      { traits: { vip: false }, computed: { orders_count: 1, lifetime_value: 500 } },
      { traits: {}, computed: { orders_count: 0, lifetime_value: 0 } },
    ];
    const events = [{ properties: { total: 80, coupon: 'X' } }, { properties: { total: 20 } }];
    for (let round = 0; round < 200; round += 1) {
      const tree = randomTree(next, 3);
      const root: Condition = 'all' in tree || 'any' in tree || 'not' in tree ? tree : { all: [tree] };
      const written = roundTrip(root);
      expect(written, JSON.stringify(root)).toBeDefined();
      expect(roundTrip(written), JSON.stringify(root)).toEqual(written);
      for (const profile of people) {
        for (const event of events) {
          for (const count of [0, 2]) {
            const facts = { profile, event, eventCount: () => count };
            const now = Date.parse('2026-12-01T00:00:00Z');
            expect(await interpretCondition(written!, facts, now), JSON.stringify(root)).toBe(
              await interpretCondition(root, facts, now),
            );
          }
        }
      }
    }
  });
});

describe('typed values', () => {
  it('reads numbers, yes/no and quoted digits as a marketer means them', () => {
    expect(parseTypedValue('50', 'text')).toBe(50);
    expect(parseTypedValue('"02134"', 'text')).toBe('02134');
    expect(parseTypedValue('02134', 'text')).toBe('02134');
    expect(parseTypedValue('true', 'text')).toBe(true);
    expect(parseTypedValue('shoes', 'text')).toBe('shoes');
    expect(parseTypedValue('12.5', 'number')).toBe(12.5);
    expect(formatTypedValue('50')).toBe('"50"');
    expect(formatTypedValue(50)).toBe('50');
    expect(parseList('shoes, bags,  hats', 'text')).toEqual(['shoes', 'bags', 'hats']);
  });

  it('gives an operator a value it can use: a list for "is one of", a duration for "within the last"', () => {
    expect(valueForOperator('in', 'shoes', 'text')).toEqual(['shoes']);
    expect(valueForOperator('withinLast', '', 'date')).toBe('P30D');
    expect(valueForOperator('exists', 'x', 'text')).toBe(true);
    expect(valueForOperator('notExists', 'x', 'text')).toBe(false);
    expect(valueForOperator('equal', ['a', 'b'], 'text')).toBe('a');
    expect(valueForOperator('greaterThan', 'x', 'number')).toBe(1);
  });
});
