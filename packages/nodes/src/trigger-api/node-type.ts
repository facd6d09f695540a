import { defineNodeType } from '@touchline/journey';
import { z } from 'zod';

export const triggerApiConfigSchema = z.strictObject({});

/** Enrolls profiles named by an API call. */
export const triggerApiNodeType = defineNodeType({
  type: 'trigger.api',
  version: 1,
  category: 'trigger',
  label: 'When enrolled through the API',
  configSchema: triggerApiConfigSchema,
  defaults: {},
  ports: ['out'],
  summary: () => 'When enrolled through the API',
  compile: () => ({ defaultPort: 'out', trigger: { kind: 'api' } }),
});
