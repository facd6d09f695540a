import { defineNodeType } from '@touchline/journey';
import { humanDuration } from '../shared/describe.js';
import { compileWaitEvent } from './compile.js';
import { waitEventConfigSchema } from './schema.js';

/** Waits for an event (optionally the same cart, order… as the trigger) or a timeout. */
export const waitEventNodeType = defineNodeType({
  type: 'wait.event',
  version: 1,
  category: 'wait',
  label: 'Wait for an event',
  description: 'Continues by "received" when the event arrives, or by "timeout" when it does not in time.',
  configSchema: waitEventConfigSchema,
  defaults: { event: '', timeout: 'PT1H' },
  ports: ['received', 'timeout'],
  summary: (config) =>
    `Wait ${humanDuration(config.timeout)} for ${config.event}${config.correlate ? ` (same ${config.correlate})` : ''}`,
  compile: compileWaitEvent,
});
