import { conditionGroupSchema, factPathSchema, positiveDurationSchema } from '@touchline/journey';
import { z } from 'zod';

export const waitEventConfigSchema = z.strictObject({
  /** The event that ends the wait by `received`. */
  event: z
    .string()
    .min(1, { error: 'name the event to wait for' })
    .meta({ title: 'Event', widget: 'event-name' }),
  conditions: conditionGroupSchema
    .optional()
    .meta({ title: 'Conditions', widget: 'conditions', description: 'Only a matching event ends the wait.' }),
  /** A property path (inside `properties`), e.g. `cart_id`, that must equal the trigger event's. */
  correlate: factPathSchema.optional().meta({
    title: 'Same as the trigger',
    widget: 'property-path',
    description: 'A property the event must share with the trigger event, e.g. cart_id.',
    examples: ['cart_id', 'order_id'],
  }),
  /** How long to wait before leaving by `timeout`. */
  timeout: positiveDurationSchema.meta({
    title: 'Timeout',
    widget: 'duration',
    description: 'Leaves by "timeout" when the event has not come by then.',
  }),
});

export type WaitEventConfig = z.infer<typeof waitEventConfigSchema>;
