import { describe, expect, it } from 'vitest';
import { nextTimeOfDay, stableBucket } from './time.js';

describe('nextTimeOfDay', () => {
  it("finds today's 09:00 in the profile's timezone when it is still ahead", () => {
    // 05:00 in New York (UTC-5 in January).
    const now = new Date('2026-01-15T10:00:00Z');
    expect(nextTimeOfDay(now, '09:00', 'America/New_York').toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it("takes tomorrow's when today's has passed", () => {
    const now = new Date('2026-01-15T15:00:00Z'); // 10:00 in New York
    expect(nextTimeOfDay(now, '09:00', 'America/New_York').toISOString()).toBe('2026-01-16T14:00:00.000Z');
  });

  it('follows daylight saving time across the change', () => {
    // Berlin moves to UTC+2 on 2026-03-29; 09:00 that day is 07:00 UTC, the day before 08:00 UTC.
    expect(nextTimeOfDay(new Date('2026-03-28T12:00:00Z'), '09:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T07:00:00.000Z',
    );
    expect(nextTimeOfDay(new Date('2026-03-27T12:00:00Z'), '09:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-28T08:00:00.000Z',
    );
  });

  it('works east of UTC across the date line', () => {
    // 23:30 UTC is 12:30 next day in Auckland (UTC+13 in January).
    expect(nextTimeOfDay(new Date('2026-01-15T23:30:00Z'), '09:00', 'Pacific/Auckland').toISOString()).toBe(
      '2026-01-16T20:00:00.000Z',
    );
  });
});

describe('stableBucket', () => {
  it('is the same for the same key and spreads keys evenly over [0, 1)', () => {
    expect(stableBucket('enrollment-1:split')).toBe(stableBucket('enrollment-1:split'));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      const k = Math.floor(stableBucket(`e-${i}:split`) * 4);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(4_700);
  });
});
