import { conditionGroupSchema, factPathSchema, positiveDurationSchema } from '@touchline/journey';
import { z } from 'zod';

export const waitEventConfigSchema = z.strictObject({
  /** The event that ends the wait by `received`. */
  event: z.string().min(1, { error: 'name the event to wait for' }),
  conditions: conditionGroupSchema.optional(),
  /** A property path (inside `properties`), e.g. `cart_id`, that must equal the trigger event's. */
  correlate: factPathSchema.optional(),
  /** How long to wait before leaving by `timeout`. */
  timeout: positiveDurationSchema,
});

export type WaitEventConfig = z.infer<typeof waitEventConfigSchema>;
