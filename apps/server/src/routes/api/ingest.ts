import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { workspaceOf } from '../../plugins/auth.js';
import type { Services } from '../../services.js';

const tags = ['ingestion'];
const maxBigint = 9_223_372_036_854_775_807n;

// Rejection ids are bigints; the API carries them as strings, which JSON cannot round.
const rejectionId = z.string().refine((value) => /^\d{1,19}$/.test(value) && BigInt(value) <= maxBigint, {
  error: 'must be a rejection id (the nextBefore of a previous page)',
});

const listQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a number from 1 to 500' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(500, { error: 'must be at most 500' })
    .default(50),
  before: rejectionId.optional().describe('answer the rejections older than this id (the nextBefore)'),
});

const rejectionBody = z.object({
  id: z.string(),
  receivedAt: z.string(),
  messageId: z.string().nullable(),
  type: z.string().nullable(),
  reason: z.string().describe('each problem as `path: message`, separated by `; `'),
  payload: z.string().describe('what was sent, as JSON, cut at 8 KB'),
});

/**
 * The workspace's rejection log: messages refused inside an accepted /v1 batch. SDKs do not read
 * response bodies, so this is where a workspace sees what its senders get wrong.
 */
export async function ingestRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.get(
    '/ingest/rejections',
    {
      schema: {
        tags,
        summary: 'List messages refused by ingestion, newest first',
        description:
          'Pages by id: pass the `nextBefore` of an answer as `before` to read older rejections; `nextBefore` is null on the last page. Rejections are kept 30 days.',
        querystring: listQuery,
        response: {
          200: z.object({ rejections: z.array(rejectionBody), nextBefore: z.string().nullable() }),
        },
      },
    },
    async (request) => {
      const { limit, before } = request.query;
      let query = db
        .selectFrom('ingest_rejections')
        .select(['id', 'received_at', 'message_id', 'type', 'reason', 'payload'])
        .where('workspace_id', '=', workspaceOf(request))
        .orderBy('id', 'desc')
        // One row past the page tells whether another page follows.
        .limit(limit + 1);
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      return {
        rejections: page.map((row) => ({
          id: row.id,
          receivedAt: row.received_at.toISOString(),
          messageId: row.message_id,
          type: row.type,
          reason: row.reason,
          payload: row.payload,
        })),
        nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );
}
