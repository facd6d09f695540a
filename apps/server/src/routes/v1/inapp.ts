import { createHmac, timingSafeEqual } from 'node:crypto';
import { channelSettingsSchema, createSettingsCipher } from '@touchline/channels';
import { findChannelSettings, markInAppMessageRead, takeUnreadInAppMessages } from '@touchline/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { workspaceOf } from '../../plugins/auth.js';
import type { Services } from '../../services.js';

const tags = ['in-app'];
const USER_HASH = 'x-touchline-user-hash';

const userQuery = z.object({
  userId: z.string().trim().min(1, { error: 'is required' }).max(512),
});
const inboxQuery = userQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const userHashHeaders = z.looseObject({
  [USER_HASH]: z
    .string()
    .optional()
    .describe(
      'hex HMAC-SHA256 of the userId under the in-app identitySecret; required when the workspace asks',
    ),
});

const inAppMessage = z.object({
  id: z.uuid(),
  journeyId: z.uuid().nullable(),
  title: z.string().nullable(),
  body: z.string(),
  status: z.literal('delivered'),
  createdAt: z.string(),
});

/**
 * The in-app inbox, read by the app with the write key. The write key is public (it ships in
 * browsers and apps), so knowing a user id is enough to read that user's messages unless the
 * workspace turns on identity verification: the app's own server then hands the app
 * `HMAC-SHA256(identitySecret, userId)`, and every call must carry it.
 */
export async function inAppRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;
  const cipher = createSettingsCipher(services.trackingSecrets);

  async function verifyUser(workspaceId: string, userId: string, given: string | undefined): Promise<void> {
    const row = await findChannelSettings(db, workspaceId, 'inapp');
    if (!row) return;
    const settings = channelSettingsSchema.parse(row.config);
    if (settings.adapter !== 'inapp' || !settings.requireUserHash) return;
    if (!given)
      throw new AppError('unauthorized', `headers.${USER_HASH}: is required (identity verification is on)`);
    const secrets = row.secrets
      ? (JSON.parse(cipher.decrypt(row.secrets, `${workspaceId}/inapp`)) as Record<string, string>)
      : {};
    const secret = secrets.identitySecret;
    const expected = secret ? createHmac('sha256', secret).update(userId).digest() : Buffer.alloc(32);
    const actual = Buffer.from(/^[0-9a-f]{64}$/i.test(given) ? given : '', 'hex');
    if (!secret || actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new AppError('unauthorized', `headers.${USER_HASH}: does not match the userId`);
    }
  }

  r.get(
    '/inapp',
    {
      schema: {
        tags,
        summary: 'The user’s unread in-app messages, newest first (they become delivered)',
        querystring: inboxQuery,
        headers: userHashHeaders,
        response: { 200: z.object({ messages: z.array(inAppMessage) }) },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const { userId, limit } = request.query;
      await verifyUser(workspaceId, userId, request.headers[USER_HASH] as string | undefined);
      const rows = await takeUnreadInAppMessages(db, workspaceId, userId, limit);
      return {
        messages: rows.map((row) => {
          const rendered = (row.content.rendered ?? {}) as Record<string, unknown>;
          return {
            id: row.id,
            journeyId: row.journeyId,
            title: typeof rendered.title === 'string' ? rendered.title : null,
            body: typeof rendered.body === 'string' ? rendered.body : '',
            status: row.status,
            createdAt: row.createdAt.toISOString(),
          };
        }),
      };
    },
  );

  r.post(
    '/inapp/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one of the user’s in-app messages read (opened)',
        params: z.object({ id: z.uuid({ error: 'must be a message id (a UUID)' }) }),
        querystring: userQuery,
        headers: userHashHeaders,
        response: { 200: z.object({ id: z.uuid(), status: z.literal('opened'), changed: z.boolean() }) },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const { userId } = request.query;
      await verifyUser(workspaceId, userId, request.headers[USER_HASH] as string | undefined);
      const result = await markInAppMessageRead(db, workspaceId, userId, request.params.id);
      if (!result) throw notFound(`user ${userId} has no in-app message ${request.params.id}`);
      return { id: request.params.id, status: 'opened' as const, changed: result.changed };
    },
  );
}
