import { describe, expect, it } from 'vitest';
import { formatIssues } from './format-issues.js';
import { journeySettingsSchema } from './settings.js';

function issues(settings: unknown) {
  const result = journeySettingsSchema.safeParse(settings);
  return result.success ? [] : formatIssues(result.error.issues);
}

describe('journey settings', () => {
  it('default to no re-entry', () => {
    expect(journeySettingsSchema.parse({})).toEqual({ reentry: 'never' });
  });

  it('name the setting at fault', () => {
    expect(issues({ goal: { event: 'order_completed', within: 'P1M' } })).toEqual([
      { path: 'goal.within', message: expect.stringContaining('"P1M" is not a valid ISO-8601 duration') },
    ]);
    expect(issues({ audienceRange: { min: 10, max: 5 } })).toEqual([
      { path: 'audienceRange.max', message: 'min must not exceed max' },
    ]);
    expect(issues({ exit_on: ['x'] })).toEqual([{ path: '', message: 'Unrecognized key: "exit_on"' }]);
  });

  it('fill quiet-hours defaults', () => {
    expect(journeySettingsSchema.parse({ quietHours: { start: '21:00', end: '08:00' } }).quietHours).toEqual({
      start: '21:00',
      end: '08:00',
      timezone: 'profile',
      behavior: 'delay',
    });
  });
});
