import { describe, expect, it } from 'vitest';
import { DurationError, parseDuration, tryParseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['PT1H', 3_600_000],
    ['P3D', 259_200_000],
    ['P1W', 604_800_000],
    ['PT90M', 5_400_000],
    ['PT30S', 30_000],
    ['PT1.5S', 1500],
    ['P1DT12H', 129_600_000],
    ['P1W2D', 777_600_000],
    ['PT0S', 0],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', '1h', 'PT1h', 'P1DT', 'PT-1H', 'P1.5D', 'T1H', 'PT1H30'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
  });

  it('explains that months and years have no fixed length', () => {
    expect(() => parseDuration('P1M')).toThrow(/years or months/);
    expect(() => parseDuration('P1Y')).toThrow(/years or months/);
  });

  it('suggests the expected form in its message', () => {
    expect(() => parseDuration('1 hour')).toThrow('"1 hour" is not an ISO-8601 duration; write e.g. PT1H');
  });

  it('tryParseDuration returns null instead of throwing', () => {
    expect(tryParseDuration('nope')).toBeNull();
    expect(tryParseDuration('PT1M')).toBe(60_000);
  });
});
