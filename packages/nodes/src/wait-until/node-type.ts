import { dateTimeSchema, defineNodeType, timeOfDaySchema, timezoneSchema } from '@touchline/journey';
import { z } from 'zod';

export const waitUntilConfigSchema = z
  .strictObject({
    /** The next occurrence of this wall-clock time, `HH:MM`. */
    time: timeOfDaySchema.optional().meta({ title: 'Time of day', widget: 'time-of-day' }),
    /** Or an absolute instant. */
    at: dateTimeSchema
      .optional()
      .meta({ title: 'Date and time', description: 'With its offset, e.g. 2025-11-28T09:00:00Z.' }),
    /** For `time`: `profile` (the profile's timezone) or an IANA name. */
    timezone: timezoneSchema.default('profile').meta({ title: 'Timezone', widget: 'timezone' }),
  })
  .refine((config) => (config.time === undefined) !== (config.at === undefined), {
    error: 'set either time (HH:MM) or at (a date-time), not both',
    path: ['time'],
  })
  .meta({ exclusive: [{ label: 'Wait until', fields: ['time', 'at'] }] });

export type WaitUntilConfig = z.infer<typeof waitUntilConfigSchema>;

/** Holds the enrollment until a time of day or a date, then continues by `out`. */
export const waitUntilNodeType = defineNodeType({
  type: 'wait.until',
  version: 1,
  category: 'wait',
  label: 'Wait until',
  description: "Waits until the next time of day (in the profile's timezone by default) or a date.",
  configSchema: waitUntilConfigSchema,
  defaults: { time: '09:00', timezone: 'profile' },
  ports: ['out'],
  summary: (config) =>
    config.time
      ? `Wait until ${config.time} (${config.timezone === 'profile' ? "profile's time" : config.timezone})`
      : `Wait until ${config.at}`,
  compile: (config) => ({
    defaultPort: null,
    wait: {
      kind: 'until',
      time: config.time ?? null,
      at: config.at ?? null,
      timezone: config.timezone,
      port: 'out',
    },
  }),
});
