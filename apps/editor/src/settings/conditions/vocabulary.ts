import type { ConditionLeaf, ConditionOperatorName } from '@touchline/journey';

/** What a compared value is, which decides the operators offered and the value input. */
export type ValueType = 'text' | 'number' | 'date' | 'boolean' | 'list';

/**
 * The operators as a marketer reads them. `exists` is two choices, "is set" and "is not set",
 * told apart by its value.
 */
export type OperatorChoice = ConditionOperatorName | 'notExists';

export const operatorLabels: Readonly<Record<OperatorChoice, string>> = {
  equal: 'is',
  notEqual: 'is not',
  greaterThan: 'greater than',
  greaterThanInclusive: 'at least',
  lessThan: 'less than',
  lessThanInclusive: 'at most',
  in: 'is one of',
  notIn: 'is not one of',
  contains: 'contains',
  doesNotContain: 'does not contain',
  startsWith: 'starts with',
  withinLast: 'is within the last',
  before: 'is before',
  after: 'is after',
  exists: 'is set',
  notExists: 'is not set',
};

export const operatorsByType: Readonly<Record<ValueType, readonly OperatorChoice[]>> = {
  text: [
    'equal',
    'notEqual',
    'contains',
    'doesNotContain',
    'startsWith',
    'in',
    'notIn',
    'exists',
    'notExists',
  ],
  number: [
    'equal',
    'notEqual',
    'greaterThan',
    'greaterThanInclusive',
    'lessThan',
    'lessThanInclusive',
    'in',
    'notIn',
    'exists',
    'notExists',
  ],
  date: ['withinLast', 'before', 'after', 'exists', 'notExists'],
  boolean: ['equal', 'notEqual', 'exists', 'notExists'],
  list: ['contains', 'doesNotContain', 'exists', 'notExists'],
};

/** Counting events compares a number, with no "set" test (a count is always there). */
export const countOperators: readonly OperatorChoice[] = [
  'greaterThanInclusive',
  'greaterThan',
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
];

export const countOperatorLabels: Partial<Record<OperatorChoice, string>> = {
  greaterThanInclusive: 'at least',
  greaterThan: 'more than',
  equal: 'exactly',
  notEqual: 'not exactly',
  lessThan: 'fewer than',
  lessThanInclusive: 'at most',
};

export function choiceOf(leaf: Pick<ConditionLeaf, 'operator' | 'value'>): OperatorChoice {
  return leaf.operator === 'exists' && leaf.value === false ? 'notExists' : leaf.operator;
}

/** A profile attribute the builder knows by name, at its path in the `profile` fact. */
export interface KnownAttribute {
  readonly path: string;
  readonly label: string;
  readonly type: ValueType;
}

/** Computed traits Touchline keeps on every profile, and the profile's own fields. */
export const knownAttributes: readonly KnownAttribute[] = [
  { path: 'computed.orders_count', label: 'Orders count', type: 'number' },
  { path: 'computed.lifetime_value', label: 'Lifetime value', type: 'number' },
  { path: 'computed.last_order_at', label: 'Last order at', type: 'date' },
  { path: 'computed.first_seen_at', label: 'First seen at', type: 'date' },
  { path: 'computed.last_seen_at', label: 'Last seen at', type: 'date' },
  { path: 'computed.rfm_recency', label: 'RFM recency (1–5)', type: 'number' },
  { path: 'computed.rfm_frequency', label: 'RFM frequency (1–5)', type: 'number' },
  { path: 'computed.rfm_monetary', label: 'RFM monetary (1–5)', type: 'number' },
  { path: 'email', label: 'Email', type: 'text' },
  { path: 'phone', label: 'Phone', type: 'text' },
  { path: 'timezone', label: 'Timezone', type: 'text' },
  { path: 'locale', label: 'Locale', type: 'text' },
  { path: 'traits.tags', label: 'Tags', type: 'list' },
];

/** The value type a leaf compares, from its operator and value when nothing else says. */
export function guessType(leaf: Pick<ConditionLeaf, 'operator' | 'value'>): ValueType {
  switch (leaf.operator) {
    case 'withinLast':
    case 'before':
    case 'after':
      return 'date';
    case 'greaterThan':
    case 'greaterThanInclusive':
    case 'lessThan':
    case 'lessThanInclusive':
      return 'number';
    default:
      break;
  }
  const sample = Array.isArray(leaf.value) ? leaf.value[0] : leaf.value;
  if (typeof sample === 'number') return 'number';
  if (typeof sample === 'boolean') return 'boolean';
  return 'text';
}

/**
 * Text typed into a value box, as JSON would hold it: `50` is a number, `true` a yes, anything
 * else text; quotes keep digits as text (`"02134"`).
 */
export function parseTypedValue(text: string, type: ValueType): string | number | boolean {
  const trimmed = text.trim();
  if (/^".*"$/.test(trimmed)) return trimmed.slice(1, -1);
  if (type === 'number' && trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  if (type === 'boolean') return trimmed === 'true';
  if (type === 'text' && /^-?(0|[1-9]\d*)(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (type === 'text' && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true';
  return text;
}

/** A value as it shows in a text box; text that would read back as a number is quoted. */
export function formatTypedValue(value: unknown): string {
  if (typeof value === 'string') {
    return /^-?(0|[1-9]\d*)(\.\d+)?$/.test(value.trim()) || value === 'true' || value === 'false'
      ? `"${value}"`
      : value;
  }
  if (value === null || value === undefined) return '';
  return String(value);
}

/** `["a", "b"]` ↔ `a, b` for "is one of". */
export function parseList(text: string, type: ValueType): (string | number | boolean)[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => parseTypedValue(part, type));
}

export function formatList(value: unknown): string {
  return Array.isArray(value) ? value.map(formatTypedValue).join(', ') : formatTypedValue(value);
}

/**
 * The value a leaf needs after its operator changes: kept when it still fits, else the
 * simplest value that does (so the compiler's "needs a list" never greets a fresh choice).
 */
export function valueForOperator(
  choice: OperatorChoice,
  previous: unknown,
  type: ValueType,
): ConditionLeaf['value'] {
  switch (choice) {
    case 'exists':
      return true;
    case 'notExists':
      return false;
    case 'in':
    case 'notIn':
      return Array.isArray(previous)
        ? previous
        : previous === undefined || previous === '' || typeof previous === 'boolean'
          ? []
          : [previous as string | number];
    case 'withinLast':
      return typeof previous === 'string' && /^P/.test(previous) ? previous : 'P30D';
    case 'before':
    case 'after':
      return typeof previous === 'string' && !/^P/.test(previous) && previous !== ''
        ? previous
        : new Date().toISOString().slice(0, 10);
    case 'greaterThan':
    case 'greaterThanInclusive':
    case 'lessThan':
    case 'lessThanInclusive':
      return typeof previous === 'number' ? previous : 1;
    default: {
      if (Array.isArray(previous)) return previous[0] ?? '';
      if (typeof previous === 'boolean' && type !== 'boolean') return '';
      if (type === 'boolean') return typeof previous === 'boolean' ? previous : true;
      return (previous as ConditionLeaf['value']) ?? '';
    }
  }
}

/** The leaf's operator and value for a choice. */
export function applyChoice<L extends ConditionLeaf>(leaf: L, choice: OperatorChoice, type: ValueType): L {
  return {
    ...leaf,
    operator: choice === 'notExists' ? 'exists' : choice,
    value: valueForOperator(choice, leaf.value, type),
  };
}

/**
 * A leaf retyped as `type` says: that type's first operator and the simplest value that fits
 * (what the Type select does, and what a suggested trait key's type does to a fresh row).
 */
export function retype<L extends ConditionLeaf>(leaf: L, type: ValueType): L {
  const first = operatorsByType[type][0] ?? 'equal';
  return applyChoice({ ...leaf, value: type === 'boolean' ? true : '' }, first, type);
}
