import { defineNodeType } from '@touchline/journey';
import { z } from 'zod';

export const exitConfigSchema = z.strictObject({});

/** Ends the enrollment. */
export const exitNodeType = defineNodeType({
  type: 'exit',
  version: 1,
  category: 'flow',
  label: 'Exit',
  configSchema: exitConfigSchema,
  defaults: {},
  ports: [],
  summary: () => 'Exit',
  compile: () => ({ defaultPort: null }),
});
