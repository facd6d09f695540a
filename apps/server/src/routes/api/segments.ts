import { findSegment, insertSegment, listSegments, type SegmentRow, updateSegment } from '@touchline/db';
import { conditionSchema } from '@touchline/journey';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';

const idParams = z.object({ id: z.uuid({ error: 'must be a segment id (a UUID)' }) });

/** A segment is a condition tree over profiles and their events, or a static list of user ids. */
const definition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('static'), userIds: z.array(z.string().min(1).max(512)).max(100_000) }),
  z.object({ kind: z.literal('conditions'), conditions: conditionSchema }),
]);
const name = z.string().trim().min(1, { error: 'is required' }).max(200);
const segmentResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  definition: z.unknown(),
  updatedAt: z.string(),
});

function toBody(row: SegmentRow) {
  return { id: row.id, name: row.name, definition: row.definition, updatedAt: row.updated_at.toISOString() };
}

/**
 * Segments as stored definitions. Evaluating them (SQL, membership, preview) is the segments
 * work; journeys can already reference them and the compiler checks that they exist.
 */
export async function segmentRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;
  const tags = ['segments'];

  r.get(
    '/segments',
    {
      schema: {
        tags,
        summary: 'List segments',
        response: { 200: z.object({ segments: z.array(segmentResponse) }) },
      },
    },
    async (request) => ({
      segments: (await listSegments(db, requirePrincipal(request).workspaceId)).map(toBody),
    }),
  );

  r.post(
    '/segments',
    {
      schema: {
        tags,
        summary: 'Create a segment',
        body: z.object({ name, definition }),
        response: { 201: segmentResponse },
      },
    },
    async (request, reply) => {
      const row = await insertSegment(db, {
        workspaceId: requirePrincipal(request).workspaceId,
        ...request.body,
      });
      return reply.status(201).send(toBody(row));
    },
  );

  r.get(
    '/segments/:id',
    { schema: { tags, summary: 'A segment', params: idParams, response: { 200: segmentResponse } } },
    async (request) => {
      const row = await findSegment(db, requirePrincipal(request).workspaceId, request.params.id);
      if (!row) throw notFound(`segment ${request.params.id} not found`);
      return toBody(row);
    },
  );

  r.put(
    '/segments/:id',
    {
      schema: {
        tags,
        summary: 'Rename a segment or change its definition',
        params: idParams,
        body: z.object({ name: name.optional(), definition: definition.optional() }),
        response: { 200: segmentResponse },
      },
    },
    async (request) => {
      const row = await updateSegment(
        db,
        requirePrincipal(request).workspaceId,
        request.params.id,
        request.body,
      );
      if (!row) throw notFound(`segment ${request.params.id} not found`);
      return toBody(row);
    },
  );
}
