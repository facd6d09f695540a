import { conditionGroupSchema, defineNodeType } from '@touchline/journey';
import { z } from 'zod';
import { describeCondition, oneLine } from '../shared/describe.js';

export const conditionConfigSchema = z.strictObject({
  conditions: conditionGroupSchema.meta({ title: 'Conditions', widget: 'conditions' }),
});

export type ConditionConfig = z.infer<typeof conditionConfigSchema>;

/** Goes `yes` when the conditions hold, else `no`. */
export const conditionNodeType = defineNodeType({
  type: 'condition',
  version: 1,
  category: 'condition',
  label: 'Condition',
  description: 'Checks the event, the profile and its history; continues by "yes" or "no".',
  configSchema: conditionConfigSchema,
  defaults: {
    conditions: { all: [{ fact: 'profile', path: 'traits.email', operator: 'exists', value: true }] },
  },
  ports: ['yes', 'no'],
  summary: (config) => oneLine(`If ${describeCondition(config.conditions)}`),
  compile(config, ctx) {
    ctx.checkConditions(config.conditions, 'conditions');
    return { rules: [{ port: 'yes', conditions: config.conditions }], defaultPort: 'no' };
  },
});
