import {
  batchBody,
  type FieldIssue,
  type IngestEvent,
  IngestOverloaded,
  type IngestResult,
  ingestLimits,
  type MessageType,
  messageSchemas,
  normalizeMessage,
  type Rejection,
} from '@touchline/ingest';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, formatIssues } from '../../errors.js';
import { workspaceOf } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { decompressBodies } from './decompress.js';

const tags = ['ingestion'];
const rejectedItem = z.object({
  index: z.number().int(),
  messageId: z.string().nullable(),
  type: z.string().nullable(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});
const singleResponse = z.object({
  success: z.literal(true),
  duplicate: z.boolean().describe('true when this messageId was already stored; the call changed nothing'),
});
const batchResponse = z.object({
  success: z.literal(true),
  accepted: z.number().int().describe('messages stored by this call'),
  duplicates: z.number().int().describe('messages whose messageId was already stored: accepted and ignored'),
  rejected: z.array(rejectedItem).describe('invalid messages, not stored; the others were'),
});

const singleRoutes: Array<{ type: MessageType; summary: string }> = [
  { type: 'track', summary: 'Record an action a user performed (Segment track)' },
  { type: 'identify', summary: 'Tie a user to their traits (Segment identify)' },
  { type: 'page', summary: 'Record a page view (Segment page)' },
  { type: 'screen', summary: 'Record a mobile screen view (Segment screen)' },
  { type: 'group', summary: 'Associate a user with a group (Segment group)' },
  { type: 'alias', summary: 'Merge two identities of one user (Segment alias)' },
];

/**
 * Writes the events and waits for the commit. When ingestion is behind, the call is refused with
 * 429 and Retry-After: Segment's libraries keep the batch and send it again, so nothing is lost
 * and nothing queues in this process without bound.
 */
async function commit(
  services: Services,
  reply: FastifyReply,
  events: IngestEvent[],
  rejections: Rejection[] = [],
): Promise<IngestResult> {
  try {
    return await services.ingest.ingest(events, rejections);
  } catch (error) {
    if (error instanceof IngestOverloaded) {
      reply.header('retry-after', '1');
      throw new AppError('rate_limited', error.message);
    }
    throw error;
  }
}

/** What the rejection log keeps of a refused message: enough to see what was sent. */
function rejectionOf(
  workspaceId: string,
  raw: unknown,
  messageId: string | null,
  type: string | null,
  issues: FieldIssue[],
): Rejection {
  let payload: string;
  try {
    payload = JSON.stringify(raw) ?? String(raw);
  } catch {
    payload = String(raw);
  }
  return {
    workspaceId,
    messageId: messageId?.slice(0, ingestLimits.maxMessageIdLength) ?? null,
    type: type?.slice(0, 50) ?? null,
    reason: formatIssues(issues).slice(0, 2000),
    payload: payload.slice(0, 8192),
  };
}

/**
 * Segment's HTTP tracking API. A 200 means the events are committed: the handler waits for the
 * ingestion pipeline's group transaction. Any Segment or RudderStack library pointed at this
 * host works unchanged (HTTP Basic auth with the write key as user name).
 */
export async function trackingRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  decompressBodies(app);
  const routeOptions = { bodyLimit: ingestLimits.maxBodyBytes, logLevel: 'warn' as const };

  for (const { type, summary } of singleRoutes) {
    r.post(
      `/${type}`,
      {
        ...routeOptions,
        schema: { tags, summary, body: messageSchemas[type], response: { 200: singleResponse } },
      },
      async (request, reply) => {
        const workspaceId = workspaceOf(request);
        const normalized = normalizeMessage(request.body, { workspaceId, type, receivedAt: new Date() });
        if (!normalized.ok) {
          const issues = normalized.issues.map((i) => ({
            path: i.path ? `body.${i.path}` : 'body',
            message: i.message,
          }));
          throw new AppError('validation_failed', formatIssues(issues), issues);
        }
        const result = await commit(services, reply, [normalized.event]);
        return { success: true as const, duplicate: result.accepted === 0 };
      },
    );
  }

  const batchHandler = {
    ...routeOptions,
    schema: {
      tags,
      summary: 'Send many messages of any type in one call (Segment batch)',
      description: `Each message carries its own \`type\`. Invalid messages are listed in \`rejected\` and kept in the workspace's rejection log; the valid ones are stored. At most ${ingestLimits.maxBatchMessages} messages and ${ingestLimits.maxBodyBytes} bytes (after gzip) per call.`,
      body: batchBody,
      response: { 200: batchResponse },
    },
  };
  const handleBatch = async (
    request: { body: z.infer<typeof batchBody> } & Parameters<typeof workspaceOf>[0],
    reply: FastifyReply,
  ) => {
    const workspaceId = workspaceOf(request);
    const receivedAt = new Date();
    const { batch, context, sentAt } = request.body;
    const events: IngestEvent[] = [];
    const rejections: Rejection[] = [];
    const rejected: z.infer<typeof rejectedItem>[] = [];
    batch.forEach((raw, index) => {
      const normalized = normalizeMessage(raw, { workspaceId, receivedAt, batchContext: context, sentAt });
      if (normalized.ok) events.push(normalized.event);
      else {
        rejected.push({
          index,
          messageId: normalized.messageId,
          type: normalized.type,
          issues: normalized.issues,
        });
        rejections.push(
          rejectionOf(workspaceId, raw, normalized.messageId, normalized.type, normalized.issues),
        );
      }
    });
    const result = await commit(services, reply, events, rejections);
    if (events.length === 0 && rejected.length > 0) {
      const issues = rejected.flatMap((item) =>
        item.issues.map((i) => ({
          path: `body.batch.${item.index}${i.path ? `.${i.path}` : ''}`,
          message: i.message,
        })),
      );
      throw new AppError(
        'validation_failed',
        `no message in the batch is valid: ${formatIssues(issues.slice(0, 5))}`,
        issues.slice(0, 100),
      );
    }
    return { success: true as const, accepted: result.accepted, duplicates: result.duplicates, rejected };
  };
  r.post('/batch', batchHandler, handleBatch);
  // Segment's historical import endpoint takes the same body.
  r.post(
    '/import',
    { ...batchHandler, schema: { ...batchHandler.schema, summary: 'Same as /v1/batch (Segment import)' } },
    handleBatch,
  );
}
