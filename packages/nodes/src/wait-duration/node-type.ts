import { defineNodeType, parseDuration, positiveDurationSchema } from '@touchline/journey';
import { z } from 'zod';
import { humanDuration } from '../shared/describe.js';

export const waitDurationConfigSchema = z.strictObject({
  /** ISO-8601, e.g. `PT24H`, `P3D`. */
  duration: positiveDurationSchema.meta({ title: 'Duration', widget: 'duration' }),
});

export type WaitDurationConfig = z.infer<typeof waitDurationConfigSchema>;

/** Holds the enrollment for a fixed time, then continues by `out`. */
export const waitDurationNodeType = defineNodeType({
  type: 'wait.duration',
  version: 1,
  category: 'wait',
  label: 'Wait',
  configSchema: waitDurationConfigSchema,
  defaults: { duration: 'P1D' },
  ports: ['out'],
  summary: (config) => `Wait ${humanDuration(config.duration)}`,
  compile: (config) => ({
    defaultPort: null,
    wait: { kind: 'duration', durationMs: parseDuration(config.duration), port: 'out' },
  }),
});
