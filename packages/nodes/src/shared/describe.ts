import { type Condition, parseDuration } from '@touchline/journey';

const UNITS: readonly [number, string][] = [
  [604_800_000, 'week'],
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** `PT90M` → "1 hour 30 minutes", for one-line node summaries. */
export function humanDuration(duration: string): string {
  let rest = parseDuration(duration);
  const parts: string[] = [];
  for (const [size, unit] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
      rest -= count * size;
    }
  }
  return parts.join(' ') || '0 seconds';
}

function describeValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'fact' in value) {
    const path = 'path' in value && typeof value.path === 'string' ? `.${value.path}` : '';
    return `${String(value.fact)}${path}`;
  }
  return JSON.stringify(value);
}

/** A compact reading of a condition tree: `profile.traits.vip equal true and not (…)`. */
export function describeCondition(condition: Condition): string {
  if ('all' in condition) return condition.all.map(describeNested).join(' and ');
  if ('any' in condition) return condition.any.map(describeNested).join(' or ');
  if ('not' in condition) return `not ${describeNested(condition.not)}`;
  const subject =
    condition.fact === 'inSegment'
      ? `in segment ${condition.params.segmentId}`
      : condition.fact === 'eventCount'
        ? `count of ${condition.params.name}${condition.params.within ? ` in ${humanDuration(condition.params.within)}` : ''}`
        : condition.fact === 'lastEvent'
          ? `last ${condition.params.name}${condition.path ? `.${condition.path}` : ''}`
          : `${condition.fact}${condition.path ? `.${condition.path}` : ''}`;
  return `${subject} ${condition.operator} ${describeValue(condition.value)}`;
}

function describeNested(condition: Condition): string {
  const text = describeCondition(condition);
  return 'all' in condition || 'any' in condition ? `(${text})` : text;
}

/** Cuts a summary to one canvas line. */
export function oneLine(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
