import { z } from 'zod';
import { tryParseDuration } from '../duration.js';
import { positiveDurationSchema } from '../graph/primitives.js';
import { type ConditionOperatorName, conditionOperatorNames, toEpochMs } from './operators.js';
import { factPathSchema } from './path.js';

/**
 * Facts passed as values: the event, the profile, the enrollment context, and `bucket` — a number
 * in [0, 1) the runtime derives from (enrollment, node) so a random split is stable on retry.
 */
export const staticFactNames = ['event', 'profile', 'journey', 'bucket'] as const;
/** Facts computed on demand from `params` (history lookups the runtime provides). */
export const dynamicFactNames = ['inSegment', 'eventCount', 'lastEvent'] as const;
export type FactName = (typeof staticFactNames)[number] | (typeof dynamicFactNames)[number];

const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** `{ fact, path? }` as a value compares against another fact, e.g. the trigger event's cart. */
export const factReferenceSchema = z.strictObject({
  fact: z.enum(staticFactNames),
  path: factPathSchema.optional(),
});

export const conditionValueSchema = z.union([scalarSchema, z.array(scalarSchema), factReferenceSchema]);

const leafFields = {
  operator: z.enum(conditionOperatorNames),
  value: conditionValueSchema,
  path: factPathSchema.optional(),
};

const eventNameSchema = z.string().min(1, { error: 'event name must not be empty' });

const leafOptions = z.discriminatedUnion('fact', [
  z.strictObject({ fact: z.enum(staticFactNames), ...leafFields }),
  z.strictObject({
    fact: z.literal('inSegment'),
    params: z.strictObject({ segmentId: z.string().min(1) }),
    ...leafFields,
  }),
  z.strictObject({
    fact: z.literal('eventCount'),
    params: z.strictObject({
      name: eventNameSchema,
      where: z.record(factPathSchema, scalarSchema).optional(),
      within: positiveDurationSchema.optional(),
    }),
    ...leafFields,
  }),
  z.strictObject({
    fact: z.literal('lastEvent'),
    params: z.strictObject({ name: eventNameSchema }),
    ...leafFields,
  }),
]);

type LeafValue = z.infer<typeof conditionValueSchema>;
const isReference = (value: LeafValue) =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// Catches values that would make an operator silently false forever, with a message that says
// what the operator expects.
const valueChecks: Partial<Record<ConditionOperatorName, [(value: LeafValue) => boolean, string]>> = {
  in: [(v) => Array.isArray(v), 'needs a list of values'],
  notIn: [(v) => Array.isArray(v), 'needs a list of values'],
  exists: [(v) => typeof v === 'boolean', 'needs true or false'],
  startsWith: [(v) => typeof v === 'string', 'needs a text value'],
  withinLast: [(v) => typeof v === 'string' && tryParseDuration(v) !== null, 'needs a duration such as P7D'],
  before: [(v) => isReference(v) || toEpochMs(v) !== null, 'needs a date such as 2025-01-31T00:00:00Z'],
  after: [(v) => isReference(v) || toEpochMs(v) !== null, 'needs a date such as 2025-01-31T00:00:00Z'],
  lessThan: [(v) => isReference(v) || typeof v === 'number', 'needs a number'],
  lessThanInclusive: [(v) => isReference(v) || typeof v === 'number', 'needs a number'],
  greaterThan: [(v) => isReference(v) || typeof v === 'number', 'needs a number'],
  greaterThanInclusive: [(v) => isReference(v) || typeof v === 'number', 'needs a number'],
};

/** One comparison: `fact` (at `path`) `operator` `value`. */
export const conditionLeafSchema = leafOptions.check((ctx) => {
  const check = valueChecks[ctx.value.operator];
  if (check && !check[0](ctx.value.value)) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value.value,
      path: ['value'],
      message: `operator ${ctx.value.operator} ${check[1]}`,
    });
  }
});

export type ConditionLeaf = z.infer<typeof conditionLeafSchema>;
export type ConditionGroup = { all: Condition[] } | { any: Condition[] } | { not: Condition };
export type Condition = ConditionGroup | ConditionLeaf;

/** A nested condition: a group or a leaf. */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([conditionGroupSchema, conditionLeafSchema]),
);

/**
 * A json-rules-engine condition tree: `all` / `any` (non-empty) / `not`, nesting groups and
 * leaves. Top-level conditions of every node are groups, as json-rules-engine requires.
 *
 * @example
 * conditionGroupSchema.parse({
 *   all: [
 *     { fact: 'profile', path: 'traits.orders_count', operator: 'greaterThanInclusive', value: 2 },
 *     { not: { fact: 'eventCount', params: { name: 'order_completed', within: 'P60D' }, operator: 'greaterThan', value: 0 } },
 *   ],
 * });
 */
export const conditionGroupSchema: z.ZodType<ConditionGroup> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema).min(1, { error: 'all needs at least one condition' }) }),
    z.strictObject({ any: z.array(conditionSchema).min(1, { error: 'any needs at least one condition' }) }),
    z.strictObject({ not: conditionSchema }),
  ]),
);
