import {
  dateTimeSchema,
  defineNodeType,
  parseDuration,
  positiveDurationSchema,
  timezoneSchema,
} from '@touchline/journey';
import { z } from 'zod';
import { humanDuration } from '../shared/describe.js';
import { cronProblem, dailyTime } from './cron.js';

const cronSchema = z.string().check((ctx) => {
  const problem = cronProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
});

export const triggerScheduleConfigSchema = z
  .strictObject({
    /** The segment whose members enter, or `all` for every profile of the workspace. */
    segmentId: z
      .string()
      .min(1, { error: 'choose the segment to enroll, or "all"' })
      .meta({ title: 'Segment', widget: 'segment', allowAll: true }),
    /** Recurring: five-field cron, e.g. `0 9 * * *` for 09:00 daily. */
    cron: cronSchema.optional().meta({
      title: 'Cron schedule',
      description: 'Five fields, e.g. 0 9 * * * for 09:00 daily.',
    }),
    /** Once, at this instant. */
    at: dateTimeSchema.optional().meta({ title: 'Once at' }),
    /** Repeatedly, this long apart. */
    every: positiveDurationSchema.optional().meta({ title: 'Every', widget: 'duration' }),
    /** `profile` runs at the wall-clock time in each profile's timezone. */
    timezone: timezoneSchema.default('profile').meta({ title: 'Timezone', widget: 'timezone' }),
  })
  .refine(
    (config) => [config.cron, config.at, config.every].filter((value) => value !== undefined).length === 1,
    {
      error: 'set exactly one of cron, at or every',
      path: ['cron'],
    },
  )
  .meta({ exclusive: [{ label: 'Runs', fields: ['cron', 'at', 'every'] }] });

/** The `segmentId` that means every profile of the workspace. */
export const ALL_PROFILES = 'all';

export type TriggerScheduleConfig = z.infer<typeof triggerScheduleConfigSchema>;

function describeWhen(config: TriggerScheduleConfig): string {
  if (config.every) return `Every ${humanDuration(config.every)}`;
  if (config.at) return `Once at ${config.at}`;
  const daily = config.cron ? dailyTime(config.cron) : null;
  return daily ? `Daily at ${daily}` : `On cron "${config.cron}"`;
}

/** Enrolls the members of a segment on a schedule: once, on a cron, or at an interval. */
export const triggerScheduleNodeType = defineNodeType({
  type: 'trigger.schedule',
  version: 1,
  category: 'trigger',
  label: 'On a schedule',
  description: "Enrolls a segment's members once, on a cron schedule or at an interval.",
  configSchema: triggerScheduleConfigSchema,
  defaults: { segmentId: '', cron: '0 9 * * *', timezone: 'profile' },
  ports: ['out'],
  summary: (config) =>
    `${describeWhen(config)} (${config.timezone === 'profile' ? "profile's time" : config.timezone}) for ${config.segmentId === ALL_PROFILES ? 'all profiles' : `segment ${config.segmentId}`}`,
  compile(config, ctx) {
    if (config.segmentId !== ALL_PROFILES) ctx.checkSegment(config.segmentId, 'segmentId');
    return {
      defaultPort: 'out',
      trigger: {
        kind: 'schedule',
        segmentId: config.segmentId,
        cron: config.cron ?? null,
        at: config.at ?? null,
        everyMs: config.every ? parseDuration(config.every) : null,
        timezone: config.timezone,
      },
    };
  },
});
