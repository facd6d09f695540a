import { tryParseDuration } from '@touchline/journey';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDurationParts } from './duration';

describe('duration input', () => {
  it('shows an ISO-8601 duration as one amount in the largest exact unit', () => {
    expect(parseDurationParts('PT1H')).toEqual({ amount: 1, unit: 'hours' });
    expect(parseDurationParts('P3D')).toEqual({ amount: 3, unit: 'days' });
    expect(parseDurationParts('P1W')).toEqual({ amount: 1, unit: 'weeks' });
    expect(parseDurationParts('P14D')).toEqual({ amount: 2, unit: 'weeks' });
    expect(parseDurationParts('PT90M')).toEqual({ amount: 90, unit: 'minutes' });
    expect(parseDurationParts('PT1H30M')).toEqual({ amount: 90, unit: 'minutes' });
    expect(parseDurationParts('PT1.5S')).toEqual({ amount: 1.5, unit: 'seconds' });
  });

  it('does not pretend to read what is not a duration', () => {
    expect(parseDurationParts('1 hour')).toBeNull();
    expect(parseDurationParts('P1M')).toBeNull();
  });

  it('writes an amount and unit back as a duration the compiler accepts', () => {
    expect(formatDuration({ amount: 3, unit: 'days' })).toBe('P3D');
    expect(formatDuration({ amount: 1, unit: 'hours' })).toBe('PT1H');
    expect(formatDuration({ amount: 90, unit: 'minutes' })).toBe('PT90M');
    expect(formatDuration({ amount: 2, unit: 'weeks' })).toBe('P2W');
    expect(formatDuration({ amount: 1.5, unit: 'hours' })).toBe('PT90M');
    expect(formatDuration({ amount: 0.5, unit: 'seconds' })).toBe('PT0.5S');
  });

  it('round-trips every unit and amount through parse', () => {
    for (const unit of ['weeks', 'days', 'hours', 'minutes', 'seconds'] as const) {
      for (const amount of [1, 2, 7, 45]) {
        const text = formatDuration({ amount, unit });
        expect(tryParseDuration(text), text).not.toBeNull();
        const parts = parseDurationParts(text)!;
        expect(
          formatDuration(parts) === text ||
            tryParseDuration(formatDuration(parts)) === tryParseDuration(text),
        ).toBe(true);
      }
    }
  });
});
