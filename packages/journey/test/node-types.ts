import { z } from 'zod';
import { conditionGroupSchema } from '../src/conditions/schema.js';
import { parseDuration } from '../src/duration.js';
import { positiveDurationSchema } from '../src/graph/primitives.js';
import { defineNodeType } from '../src/sdk/node-type.js';
import { createRegistry } from '../src/sdk/registry.js';

// Minimal node types: the journey package cannot import the built-ins (they depend on it).
export const start = defineNodeType({
  type: 'test.start',
  version: 1,
  category: 'trigger',
  label: 'Start',
  configSchema: z.strictObject({}),
  ports: ['out'],
  compile: () => ({ defaultPort: 'out', trigger: { kind: 'api' } }),
});

export const check = defineNodeType({
  type: 'test.check',
  version: 1,
  category: 'condition',
  label: 'Check',
  configSchema: z.strictObject({ conditions: conditionGroupSchema }),
  ports: ['yes', 'no'],
  compile: (config) => ({ rules: [{ port: 'yes', conditions: config.conditions }], defaultPort: 'no' }),
});

export const pause = defineNodeType({
  type: 'test.pause',
  version: 1,
  category: 'wait',
  label: 'Pause',
  configSchema: z.strictObject({ duration: positiveDurationSchema }),
  ports: ['out'],
  compile: (config) => ({
    wait: { kind: 'duration', durationMs: parseDuration(config.duration), port: 'out' },
  }),
});

export const end = defineNodeType({
  type: 'test.end',
  version: 1,
  category: 'flow',
  label: 'End',
  configSchema: z.strictObject({}),
  ports: [],
  compile: () => ({}),
});

export const testRegistry = createRegistry([start, check, pause, end]);

export function node(id: string, type: string, config: unknown = {}) {
  return { id, type, config, position: { x: 0, y: 0 } };
}

export function edge(source: string, sourcePort: string, target: string) {
  return { id: `${source}.${sourcePort}`, source, sourcePort, target };
}
