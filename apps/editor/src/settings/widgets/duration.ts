import { tryParseDuration } from '@touchline/journey';

/** The units a marketer picks a wait in, largest first. */
export const durationUnits = [
  { unit: 'weeks', ms: 604_800_000, label: 'weeks' },
  { unit: 'days', ms: 86_400_000, label: 'days' },
  { unit: 'hours', ms: 3_600_000, label: 'hours' },
  { unit: 'minutes', ms: 60_000, label: 'minutes' },
  { unit: 'seconds', ms: 1000, label: 'seconds' },
] as const;

export type DurationUnit = (typeof durationUnits)[number]['unit'];

export interface DurationParts {
  readonly amount: number;
  readonly unit: DurationUnit;
}

/**
 * An ISO-8601 duration as one amount in the largest unit that divides it exactly; `null` when
 * it does not parse (the input then shows the text as it is).
 *
 * @example
 * parseDurationParts('PT1H'); // { amount: 1, unit: 'hours' }
 * parseDurationParts('PT90M'); // { amount: 90, unit: 'minutes' }
 * parseDurationParts('P1W'); // { amount: 1, unit: 'weeks' }
 */
export function parseDurationParts(text: string): DurationParts | null {
  const ms = tryParseDuration(text);
  if (ms === null) return null;
  if (ms === 0) return { amount: 0, unit: /T/.test(text) ? 'hours' : 'days' };
  for (const { unit, ms: size } of durationUnits) {
    if (ms % size === 0) return { amount: ms / size, unit };
  }
  return { amount: ms / 1000, unit: 'seconds' };
}

/**
 * An amount and unit as ISO-8601.
 *
 * @example
 * formatDuration({ amount: 3, unit: 'days' }); // 'P3D'
 * formatDuration({ amount: 90, unit: 'minutes' }); // 'PT90M'
 */
export function formatDuration({ amount, unit }: DurationParts): string {
  // ISO-8601 allows a fraction only on seconds here: 1.5 hours is written PT90M.
  if (!Number.isInteger(amount) && unit !== 'seconds') {
    const ms = Math.round(amount * (durationUnits.find((entry) => entry.unit === unit)?.ms ?? 1000));
    const exact = durationUnits.find((entry) => ms % entry.ms === 0);
    return exact ? formatDuration({ amount: ms / exact.ms, unit: exact.unit }) : `PT${ms / 1000}S`;
  }
  switch (unit) {
    case 'weeks':
      return `P${amount}W`;
    case 'days':
      return `P${amount}D`;
    case 'hours':
      return `PT${amount}H`;
    case 'minutes':
      return `PT${amount}M`;
    case 'seconds':
      return `PT${amount}S`;
  }
}
