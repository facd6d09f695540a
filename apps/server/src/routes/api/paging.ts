import { z } from 'zod';

/** A page size, 1 to 200, with a default. */
export const limit = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number from 1 to 200' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(200, { error: 'must be at most 200' })
    .default(fallback);

/**
 * How many options an editor picker asks for (event names, trait keys): 1 to 500, 200 unless
 * asked. One message for every bound, so the 400 reads the same whatever was wrong.
 */
export const pickerLimit = () =>
  z.coerce
    .number({ error: 'must be a number from 1 to 500' })
    .int({ error: 'must be a number from 1 to 500' })
    .min(1, { error: 'must be a number from 1 to 500' })
    .max(500, { error: 'must be a number from 1 to 500' })
    .default(200);

/** An opaque page cursor, decoded here so that a bad one is a 400 naming its field. */
export const cursorOf = <T>(decode: (text: string) => T | undefined, what: string) =>
  z
    .string()
    .max(200)
    .transform((text, ctx) => {
      const position = decode(text);
      if (position === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be the ${what} of a previous page` });
        return z.NEVER;
      }
      return position;
    });
