import { z } from 'zod';
import { tryParseDuration } from '../duration.js';

function durationString(minimumMs: number, tooShort: string) {
  return z
    .string()
    .check((ctx) => {
      const ms = tryParseDuration(ctx.value);
      if (ms === null) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `"${ctx.value}" is not a valid ISO-8601 duration; write e.g. PT1H, PT90M, P3D or P1W (no months or years)`,
        });
      } else if (ms < minimumMs) {
        ctx.issues.push({ code: 'custom', input: ctx.value, message: tooShort });
      }
    })
    .meta({ format: 'duration', examples: ['PT1H', 'P3D', 'P1W'] });
}

/** An ISO-8601 duration string such as `PT1H`, `P3D` or `P1W` (see `parseDuration`). */
export const durationSchema = durationString(0, '');

/** A duration that must be longer than zero, as every wait and window is. */
export const positiveDurationSchema = durationString(1, 'duration must be longer than zero');

// Intl is part of the language (browser and Node alike), so this stays a pure check.
function isIanaTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** `"profile"` (the profile's own timezone) or an IANA name such as `Europe/Paris`. */
export const timezoneSchema = z
  .string()
  .refine((name) => name === 'profile' || isIanaTimezone(name), {
    error: (issue) => `"${String(issue.input)}" is not "profile" or an IANA timezone such as Europe/Paris`,
  })
  .meta({ examples: ['profile', 'Europe/Paris', 'UTC'] });

/** A wall-clock time `HH:MM`, 24-hour. */
export const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'time must be HH:MM on a 24-hour clock, e.g. 09:00' });

/** An ISO-8601 date-time with an offset, e.g. `2025-11-28T09:00:00Z`. */
export const dateTimeSchema = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date-time with a timezone offset, e.g. 2025-11-28T09:00:00Z',
});

/** An identifier chosen by people (node ids, ports): letters, digits, `_`, `-`, `.`, `:`. */
export const identifierSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, { error: 'may only contain letters, digits, _ - . and :' });
