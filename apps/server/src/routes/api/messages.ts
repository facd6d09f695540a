import {
  decodeMessageCursor,
  findProfileByIdentifier,
  listMessages,
  type OutboxMessageRow,
} from '@touchline/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { workspaceOf } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { cursorOf, limit } from './paging.js';

const channels = ['email', 'sms', 'push', 'whatsapp', 'inapp', 'webhook'] as const;
const statuses = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'failed',
  'suppressed',
] as const;
const oneOf = (values: readonly string[]) => ({ error: `must be one of ${values.join(', ')}` });

const messagesQuery = z.object({
  userId: z.string().trim().min(1).max(512).optional().describe('a user id, anonymous id or alias'),
  journeyId: z.uuid({ error: 'must be a journey id (a UUID)' }).optional(),
  channel: z.enum(channels, oneOf(channels)).optional(),
  status: z.enum(statuses, oneOf(statuses)).optional(),
  limit: limit(50),
  before: cursorOf(decodeMessageCursor, 'nextBefore').optional(),
});

const messageBody = z.object({
  id: z.uuid(),
  userId: z.string().nullable(),
  profileId: z.uuid(),
  enrollmentId: z.uuid().nullable(),
  journeyId: z.uuid().nullable(),
  nodeId: z.string().nullable(),
  channel: z.string(),
  templateId: z.uuid().nullable(),
  templateVersion: z.number().int().nullable(),
  variant: z.string().nullable(),
  status: z.string(),
  suppressedReason: z.string().nullable(),
  content: z.record(z.string(), z.unknown()).describe('what the send node put in the outbox'),
  test: z.boolean().describe('a test send from the template editor (transactional, to a chosen address)'),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

const toBody = (row: OutboxMessageRow): z.infer<typeof messageBody> => ({
  id: row.id,
  userId: row.user_id,
  profileId: row.profile_id,
  enrollmentId: row.enrollment_id,
  journeyId: row.journey_id,
  nodeId: row.node_id,
  channel: row.channel,
  templateId: row.template_id,
  templateVersion: row.template_version,
  variant: row.variant,
  status: row.status,
  suppressedReason: row.suppressed_reason,
  content: row.content,
  test: row.content.test === true,
  error: row.error,
  createdAt: row.created_at.toISOString(),
  sentAt: row.sent_at?.toISOString() ?? null,
});

/** `GET /api/messages`: the outbox, newest first, by person, journey, channel and status. */
export async function messageRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;
  r.get(
    '/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'The outbox: every message a journey sent or suppressed, newest first',
        description:
          'Pass the `nextBefore` of an answer as `before` to read older messages; it is null on the last page. ' +
          'An unknown `userId` answers an empty list.',
        querystring: messagesQuery,
        response: { 200: z.object({ messages: z.array(messageBody), nextBefore: z.string().nullable() }) },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const { userId, journeyId, channel, status, limit: size, before } = request.query;
      let profileId: string | undefined;
      if (userId !== undefined) {
        const profile = await findProfileByIdentifier(db, workspaceId, userId);
        if (!profile) return { messages: [], nextBefore: null };
        profileId = profile.id;
      }
      const page = await listMessages(
        db,
        workspaceId,
        { profileId, journeyId, channel, status },
        { limit: size, before },
      );
      return { messages: page.rows.map(toBody), nextBefore: page.next };
    },
  );
}
