import { z } from 'zod';
import { identifierSchema } from './primitives.js';
import { journeySettingsSchema } from './settings.js';

/** The document schema version this package reads and writes (see `migrateJourneyDocument`). */
export const CURRENT_SCHEMA_VERSION = 1;

export const positionSchema = z.object({ x: z.number(), y: z.number() });

/**
 * A node as stored: its `config` stays `unknown` here because only the node type's own schema
 * (in the registry) can read it.
 */
export const journeyNodeSchema = z.object({
  id: identifierSchema,
  type: z.string().min(1, { error: 'node type must not be empty' }),
  /** The node type's version the config was written for; omitted means the current one. */
  typeVersion: z.int().min(1).optional(),
  config: z.unknown().default({}),
  position: positionSchema,
  label: z.string().optional(),
});

/** An edge leaves one out-port of `source` and enters `target`. */
export const journeyEdgeSchema = z.object({
  id: identifierSchema,
  source: z.string().min(1),
  sourcePort: z.string().min(1),
  target: z.string().min(1),
});

/**
 * A journey document: nodes, edges and settings. Unknown keys on nodes and edges are dropped,
 * so editor-only state never leaks into compiled output.
 *
 * @example
 * journeyGraphSchema.parse({
 *   schemaVersion: 1,
 *   nodes: [{ id: 'start', type: 'trigger.api', config: {}, position: { x: 0, y: 0 } }, ...],
 *   edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'done' }],
 *   settings: { reentry: 'never' },
 * });
 */
export const journeyGraphSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION, {
    error: `schemaVersion must be ${CURRENT_SCHEMA_VERSION}; run migrateJourneyDocument first`,
  }),
  nodes: z.array(journeyNodeSchema),
  edges: z.array(journeyEdgeSchema),
  settings: journeySettingsSchema.prefault({}),
});

export type JourneyNode = z.infer<typeof journeyNodeSchema>;
export type JourneyEdge = z.infer<typeof journeyEdgeSchema>;
export type JourneyGraph = z.infer<typeof journeyGraphSchema>;
/** What authors write: defaults (settings, config) may be omitted. */
export type JourneyGraphInput = z.input<typeof journeyGraphSchema>;
