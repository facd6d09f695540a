import { describe, expect, it } from 'vitest';
import { bind, problems, recordingContext } from '../../test/node-kit.js';
import { cronProblem } from './cron.js';
import { triggerScheduleNodeType } from './node-type.js';

describe('trigger.schedule', () => {
  it('runs daily at 09:00 in the profile timezone by default', () => {
    const instance = bind(triggerScheduleNodeType, { segmentId: 'seg_lapsed', cron: '0 9 * * *' });
    expect(instance.summary()).toBe("Daily at 09:00 (profile's time) for segment seg_lapsed");
    expect(instance.compile(recordingContext().ctx).trigger).toEqual({
      kind: 'schedule',
      segmentId: 'seg_lapsed',
      cron: '0 9 * * *',
      at: null,
      everyMs: null,
      timezone: 'profile',
    });
  });

  it('enrolls every profile of the workspace for segment "all", with no segment to look up', () => {
    const instance = bind(triggerScheduleNodeType, { segmentId: 'all', cron: '0 9 * * 1' });
    expect(instance.summary()).toBe('On cron "0 9 * * 1" (profile\'s time) for all profiles');
    // Known segments are given and "all" is not among them: it must still compile cleanly.
    const { ctx, issues } = recordingContext({ segments: ['seg_lapsed'] });
    expect(instance.compile(ctx).trigger).toMatchObject({ kind: 'schedule', segmentId: 'all' });
    expect(issues).toEqual([]);
    expect(problems(triggerScheduleNodeType, { segmentId: '', cron: '0 9 * * *' })).toEqual([
      'segmentId: choose the segment to enroll, or "all"',
    ]);
  });

  it('needs exactly one of cron, at or every', () => {
    expect(problems(triggerScheduleNodeType, { segmentId: 's' })).toEqual([
      'cron: set exactly one of cron, at or every',
    ]);
    expect(
      problems(triggerScheduleNodeType, { segmentId: 's', cron: '0 9 * * *', every: 'P1D' }),
    ).toHaveLength(1);
    expect(bind(triggerScheduleNodeType, { segmentId: 's', every: 'PT6H' }).summary()).toBe(
      "Every 6 hours (profile's time) for segment s",
    );
  });

  it('rejects bad cron expressions and timezones with a reason', () => {
    expect(cronProblem('0 25 * * *')).toBe('hour 25 is outside 0-23');
    expect(cronProblem('*/15 9-17 * * 1-5')).toBeNull();
    expect(cronProblem('0 9 * *')).toMatch(/5 fields/);
    expect(
      problems(triggerScheduleNodeType, { segmentId: 's', cron: '0 9 * * *', timezone: 'Mars/Base' }),
    ).toEqual(['timezone: "Mars/Base" is not "profile" or an IANA timezone such as Europe/Paris']);
  });
});
