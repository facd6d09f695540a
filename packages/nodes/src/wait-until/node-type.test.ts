import { describe, expect, it } from 'vitest';
import { bind, problems, recordingContext } from '../../test/node-kit.js';
import { waitUntilNodeType } from './node-type.js';

describe('wait.until', () => {
  it("waits for a time of day in the profile's timezone by default", () => {
    const instance = bind(waitUntilNodeType, { time: '09:00' });
    expect(instance.compile(recordingContext().ctx).wait).toEqual({
      kind: 'until',
      time: '09:00',
      at: null,
      timezone: 'profile',
      port: 'out',
    });
    expect(instance.summary()).toBe("Wait until 09:00 (profile's time)");
  });

  it('takes either a time or a date, not both, and checks the time', () => {
    expect(problems(waitUntilNodeType, { time: '09:00', at: '2025-12-24T09:00:00Z' })).toEqual([
      'time: set either time (HH:MM) or at (a date-time), not both',
    ]);
    expect(problems(waitUntilNodeType, { time: '9am' })).toEqual([
      'time: time must be HH:MM on a 24-hour clock, e.g. 09:00',
    ]);
  });
});
