import { conditionGroupSchema, defineNodeType, eventNamed } from '@touchline/journey';
import { z } from 'zod';
import { describeCondition, oneLine } from '../shared/describe.js';

export const triggerEventConfigSchema = z.strictObject({
  /** The tracked event name that enrolls, e.g. `cart_updated`. */
  event: z
    .string()
    .min(1, { error: 'name the event that starts the journey' })
    .meta({ title: 'Event', widget: 'event-name' }),
  /** Extra conditions on the event or profile, e.g. a cart value over 50. */
  conditions: conditionGroupSchema.optional().meta({
    title: 'Conditions',
    widget: 'conditions',
    description: 'Only events (and people) that match enter.',
  }),
});

export type TriggerEventConfig = z.infer<typeof triggerEventConfigSchema>;

/** Enrolls a profile when it tracks `event` (and `conditions` hold). */
export const triggerEventNodeType = defineNodeType({
  type: 'trigger.event',
  version: 1,
  category: 'trigger',
  label: 'When an event happens',
  description: 'Enrolls a profile each time it tracks the event, if the conditions hold.',
  configSchema: triggerEventConfigSchema,
  defaults: { event: '' },
  ports: ['out'],
  summary: (config) =>
    oneLine(
      `When ${config.event}${config.conditions ? ` where ${describeCondition(config.conditions)}` : ''}`,
    ),
  compile(config, ctx) {
    if (config.conditions) ctx.checkConditions(config.conditions, 'conditions');
    return {
      // The name check makes the rule complete on its own, though the runtime routes by name.
      rules: [
        {
          port: 'out',
          conditions: { all: [eventNamed(config.event), ...(config.conditions ? [config.conditions] : [])] },
        },
      ],
      defaultPort: null,
      trigger: { kind: 'event', event: config.event },
    };
  },
});
