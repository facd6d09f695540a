import {
  addSuppression,
  decodeSuppressionCursor,
  listSuppressions,
  normalizeAddress,
  removeSuppression,
  type Suppression,
  type SuppressionChannel,
  suppressionChannels,
  suppressionReasons,
} from '@touchline/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { workspaceOf } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { cursorOf, limit } from './paging.js';

const tags = ['suppressions'];
const oneOf = (values: readonly string[]) => ({ error: `must be one of ${values.join(', ')}` });
const channel = z.enum(suppressionChannels, oneOf(suppressionChannels));

const listQuery = z.object({
  channel: channel.optional(),
  reason: z.enum(suppressionReasons, oneOf(suppressionReasons)).optional(),
  limit: limit(50),
  before: cursorOf(decodeSuppressionCursor, 'nextBefore').optional(),
});

const addBody = z.strictObject({
  channel,
  address: z.string().max(320).describe('an email address, or a phone number (normalised to +digits)'),
  detail: z.string().max(1000).optional().describe('why, for the people reading the list'),
});

const suppressionBody = z.object({
  id: z.uuid(),
  channel: z.string(),
  address: z.string().describe('normalised: an email lower-cased, a phone as +digits'),
  reason: z.string().describe('bounced, complained, manual or unsubscribed'),
  sourceMessageId: z.uuid().nullable().describe('the message whose bounce or complaint added it'),
  detail: z.string().nullable(),
  createdAt: z.string(),
});

const toBody = (s: Suppression): z.infer<typeof suppressionBody> => ({
  id: s.id,
  channel: s.channel,
  address: s.address,
  reason: s.reason,
  sourceMessageId: s.sourceMessageId,
  detail: s.detail,
  createdAt: s.createdAt.toISOString(),
});

function addressOf(channelName: SuppressionChannel, address: string, path: string): string {
  const normalized = normalizeAddress(channelName, address);
  if (normalized === undefined) {
    const message =
      channelName === 'email' ? 'must be an email address' : 'must be a phone number (3 to 15 digits)';
    throw new AppError('unprocessable', `${path}: ${message}`, [{ path, message }]);
  }
  return normalized;
}

/**
 * `/api/suppressions`: the addresses no message goes to. Hard bounces and complaints add
 * themselves (delivery status webhooks); people add and remove addresses here.
 */
export async function suppressionRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.get(
    '/suppressions',
    {
      schema: {
        tags,
        summary: 'The suppression list, newest first',
        description:
          'Pass the `nextBefore` of an answer as `before` to read older entries; null on the last page.',
        querystring: listQuery,
        response: {
          200: z.object({ suppressions: z.array(suppressionBody), nextBefore: z.string().nullable() }),
        },
      },
    },
    async (request) => {
      const { channel: only, reason, limit: size, before } = request.query;
      const page = await listSuppressions(
        db,
        workspaceOf(request),
        { channel: only, reason },
        { limit: size, before },
      );
      return { suppressions: page.rows.map(toBody), nextBefore: page.next };
    },
  );

  r.post(
    '/suppressions',
    {
      schema: {
        tags,
        summary: 'Suppress an address by hand',
        description:
          'Answers 201 with the new entry, or 200 with the entry already there (its first reason is kept). ' +
          'An address that is not an email or phone number answers 422 naming `body.address`.',
        body: addBody,
        response: { 200: suppressionBody, 201: suppressionBody },
      },
    },
    async (request, reply) => {
      const { channel: on, address, detail } = request.body;
      const { suppression, created } = await addSuppression(db, workspaceOf(request), {
        channel: on,
        address: addressOf(on, address, 'body.address'),
        reason: 'manual',
        detail: detail ?? null,
      });
      return reply.status(created ? 201 : 200).send(toBody(suppression));
    },
  );

  r.delete(
    '/suppressions/:channel/:address',
    {
      schema: {
        tags,
        summary: 'Take an address off the suppression list',
        description: 'The address is matched after normalisation (case, spaces and dashes do not matter).',
        params: z.object({ channel, address: z.string().max(320) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { channel: on, address } = request.params;
      const removed = await removeSuppression(
        db,
        workspaceOf(request),
        on,
        addressOf(on, address, 'params.address'),
      );
      if (!removed) throw notFound(`${address} is not on the ${on} suppression list`);
      return reply.status(204).send(null);
    },
  );
}
