import { CURRENT_SCHEMA_VERSION, journeyErrorCodes } from '@touchline/journey';
import { z } from 'zod';

export const journeyStatus = z.enum(['draft', 'live', 'paused', 'archived']);

export const journeyErrorSchema = z.object({
  nodeId: z.string().nullable(),
  port: z.string().optional(),
  path: z.string().optional(),
  code: z.enum(journeyErrorCodes),
  message: z.string(),
});

/** Per node id, what only the node type's code can tell the editor: its summary line and out-ports. */
export const nodeViewsSchema = z
  .record(z.string(), z.object({ summary: z.string(), ports: z.array(z.string()) }))
  .describe('by node id, for each node whose config parses: its one-line summary and its out-ports');

export const summaryBody = z.object({
  id: z.uuid(),
  name: z.string(),
  status: journeyStatus,
  liveVersion: z.number().int().nullable(),
  updatedAt: z.string(),
});

export const journeyBody = summaryBody.extend({
  graph: z.unknown(),
  draftRevision: z
    .number()
    .int()
    .describe('bumped on every draft save; send it back as `baseRevision` to save only over this draft'),
  createdAt: z.string(),
  validation: z.object({ ok: z.boolean(), errors: z.array(journeyErrorSchema) }).optional(),
  nodes: nodeViewsSchema.optional(),
});

/** A draft save refused because someone else saved since the revision it was based on. */
export const draftConflictBody = z.object({
  error: z.string(),
  code: z.literal('conflict'),
  message: z.string(),
  baseRevision: z.number().int().describe('the revision the refused save was based on'),
  draftRevision: z.number().int().describe('the current revision: send it as `baseRevision` to save over it'),
  updatedAt: z.string().describe('when the journey was last saved'),
  updatedBy: z
    .string()
    .nullable()
    .describe('the email of the member who last saved it; null for an API token'),
});

export const versionBody = z.object({
  version: z.number().int(),
  publishedAt: z.string(),
  publishedBy: z.string().nullable(),
});

export const listQuery = z.object({
  status: journeyStatus.optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** What a new journey starts as: no nodes yet, never re-entered. */
export function emptyJourneyGraph() {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, nodes: [], edges: [], settings: { reentry: 'never' } };
}
