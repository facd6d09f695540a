import { z } from 'zod';
import { conditionGroupSchema } from '../conditions/schema.js';
import { durationSchema, positiveDurationSchema, timeOfDaySchema, timezoneSchema } from './primitives.js';

const eventNameSchema = z.string().min(1, { error: 'event name must not be empty' });

/** Entering the journey again: never, once the previous run has ended, or at any time. */
export const reentrySchema = z.enum(['never', 'after_exit', 'always']);

/** The goal: the event that counts as a conversion, within an attribution window. */
export const goalSchema = z.strictObject({
  event: eventNameSchema,
  conditions: conditionGroupSchema.optional(),
  within: positiveDurationSchema,
});

/** At most `max` messages from this journey per profile per `per`. */
export const frequencyCapSchema = z.strictObject({
  max: z.int().min(1, { error: 'max must be at least 1' }),
  per: positiveDurationSchema,
});

/** No sends between `start` and `end` (may wrap midnight); `delay` holds the send until `end`. */
export const quietHoursSchema = z.strictObject({
  start: timeOfDaySchema,
  end: timeOfDaySchema,
  timezone: timezoneSchema.default('profile'),
  behavior: z.enum(['delay', 'skip']).default('delay'),
});

/** Scheduled entries outside this range pause the journey and alert. */
export const audienceRangeSchema = z
  .strictObject({ min: z.int().min(0), max: z.int().min(0) })
  .refine((range) => range.min <= range.max, { error: 'min must not exceed max', path: ['max'] });

/**
 * Journey-wide settings, as DESIGN.md lists them.
 *
 * @example
 * journeySettingsSchema.parse({ reentry: 'after_exit', exitOn: ['order_completed'] });
 */
export const journeySettingsSchema = z.strictObject({
  reentry: reentrySchema.default('never'),
  /** Minimum time between the end of one enrollment and the next (with `after_exit`/`always`). */
  cooldown: durationSchema.optional(),
  exitOn: z.array(eventNameSchema).optional(),
  goal: goalSchema.optional(),
  frequencyCap: frequencyCapSchema.optional(),
  quietHours: quietHoursSchema.optional(),
  /** Higher wins when journeys compete for the same send slot. */
  priority: z.int().min(0).max(100).optional(),
  audienceRange: audienceRangeSchema.optional(),
  /** `user_id`s that receive test sends. */
  testProfiles: z.array(z.string().min(1)).optional(),
});

export type JourneySettings = z.infer<typeof journeySettingsSchema>;
export type JourneySettingsInput = z.input<typeof journeySettingsSchema>;
