import { describe, expect, it } from 'vitest';
import { nextCronRun, planTick, type ScheduleTrigger } from './schedule.js';

const trigger = (fields: Partial<ScheduleTrigger>): ScheduleTrigger => ({
  kind: 'schedule',
  nodeId: 'start',
  type: 'trigger.schedule',
  segmentId: 'all',
  cron: null,
  at: null,
  everyMs: null,
  timezone: 'profile',
  ...fields,
});
const at = (iso: string) => Date.parse(iso);

describe('nextCronRun', () => {
  it("finds 09:00 on the profile's clock, today if still ahead, else tomorrow", () => {
    expect(
      new Date(nextCronRun('0 9 * * *', at('2026-12-01T07:00:00Z'), 'Europe/Paris') ?? 0).toISOString(),
    ).toBe('2026-12-01T08:00:00.000Z');
    expect(
      new Date(nextCronRun('0 9 * * *', at('2026-12-01T08:00:00Z'), 'Europe/Paris') ?? 0).toISOString(),
    ).toBe('2026-12-02T08:00:00.000Z');
    expect(
      new Date(nextCronRun('0 9 * * *', at('2026-12-01T08:00:00Z'), 'Asia/Tokyo') ?? 0).toISOString(),
    ).toBe('2026-12-02T00:00:00.000Z');
  });

  it('keeps 09:00 local across a daylight-saving change', () => {
    // Paris leaves summer time on 2026-10-25: 09:00 is 07:00Z before and 08:00Z after.
    expect(
      new Date(nextCronRun('0 9 * * *', at('2026-10-24T08:00:00Z'), 'Europe/Paris') ?? 0).toISOString(),
    ).toBe('2026-10-25T08:00:00.000Z');
  });

  it('follows weekdays, steps and lists, and gives up on a date that never comes', () => {
    // 2026-12-05 is a Saturday: the next weekday 09:30 is Monday the 7th.
    expect(new Date(nextCronRun('30 9 * * 1-5', at('2026-12-05T00:00:00Z'), 'UTC') ?? 0).toISOString()).toBe(
      '2026-12-07T09:30:00.000Z',
    );
    expect(new Date(nextCronRun('*/15 * * * *', at('2026-12-01T10:07:00Z'), 'UTC') ?? 0).toISOString()).toBe(
      '2026-12-01T10:15:00.000Z',
    );
    expect(nextCronRun('0 9 30 2 *', at('2026-12-01T00:00:00Z'), 'UTC')).toBeNull();
  });
});

describe('planTick', () => {
  it('runs a once-only schedule when its instant falls in the window, then stops', () => {
    const once = trigger({ at: '2026-12-01T10:00:00Z' });
    const window = { from: at('2026-12-01T09:59:00Z'), now: at('2026-12-01T10:00:01Z'), anchor: 0 };
    expect(planTick(once, window, [])).toEqual({
      due: [{ timezone: null, occurrence: '2026-12-01T10:00:00.000Z' }],
      next: null,
    });
    const early = planTick(once, { ...window, now: at('2026-12-01T09:59:30Z') }, []);
    expect(early).toEqual({ due: [], next: new Date('2026-12-01T10:00:00Z') });
  });

  it('runs an interval schedule on its anchor’s beat, never at the anchor itself', () => {
    const every = trigger({ everyMs: 6 * 3_600_000 });
    const anchor = at('2026-12-01T00:00:00Z');
    expect(planTick(every, { from: anchor, now: anchor, anchor }, [])).toEqual({
      due: [],
      next: new Date('2026-12-01T06:00:00Z'),
    });
    const later = planTick(every, { from: anchor, now: at('2026-12-01T06:00:02Z'), anchor }, []);
    expect(later.due).toEqual([{ timezone: null, occurrence: '2026-12-01T06:00:00.000Z' }]);
    expect(later.next).toEqual(new Date('2026-12-01T12:00:00Z'));
  });

  it("enrolls each timezone's profiles when 09:00 comes there, and looks again at the next zone's", () => {
    const daily = trigger({ cron: '0 9 * * *' });
    const zones = ['Asia/Tokyo', 'Europe/Paris', 'America/New_York'];
    // 08:00Z: 09:00 in Paris has just passed; Tokyo's was at 00:00Z; New York's is at 14:00Z.
    const plan = planTick(
      daily,
      { from: at('2026-12-01T07:59:00Z'), now: at('2026-12-01T08:00:05Z'), anchor: 0 },
      zones,
    );
    expect(plan.due).toEqual([{ timezone: 'Europe/Paris', occurrence: '2026-12-01T09:00' }]);
    expect(plan.next).toEqual(new Date('2026-12-01T09:00:05Z'));
  });

  it('collapses occurrences missed while nothing ran into one run, for a fixed timezone', () => {
    const daily = trigger({ cron: '0 9 * * *', timezone: 'Europe/Paris' });
    const plan = planTick(
      daily,
      { from: at('2026-11-28T00:00:00Z'), now: at('2026-12-01T12:00:00Z'), anchor: 0 },
      [],
    );
    expect(plan.due).toHaveLength(1);
    expect(plan.next).toEqual(new Date('2026-12-02T08:00:00Z'));
  });
});
