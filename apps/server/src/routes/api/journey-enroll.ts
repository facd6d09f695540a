import { randomUUID } from 'node:crypto';
import { findJourney, findProfileByIdentifier } from '@touchline/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';

/** `POST /api/journeys/:id/enroll`: a journey with an API trigger, entered by a call. */
export async function journeyEnrollRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, runtime } = services;
  r.post(
    '/journeys/:id/enroll',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Enroll a profile into a live journey that starts with an API trigger',
        description:
          'The re-entry policy applies as for an event. `key` makes the call idempotent: the same key ' +
          'never enrolls the profile twice (a retried request is safe).',
        params: z.object({ id: z.uuid({ error: 'must be a journey id (a UUID)' }) }),
        body: z.object({
          userId: z.string().trim().min(1, { error: 'is required' }).max(512),
          key: z.string().trim().min(1).max(200).optional().describe('idempotency key of this call'),
        }),
        response: {
          200: z.object({
            entered: z.boolean().describe('false when the re-entry policy or the key kept the profile out'),
          }),
        },
      },
    },
    async (request) => {
      const workspaceId = requirePrincipal(request).workspaceId;
      const { id } = request.params;
      const journey = await findJourney(db, workspaceId, id);
      if (!journey) throw notFound(`journey ${id} not found`);
      const profile = await findProfileByIdentifier(db, workspaceId, request.body.userId);
      if (!profile) throw notFound(`body.userId: no profile with user id "${request.body.userId}"`);
      let live = runtime.catalog.index.current(workspaceId, id);
      // Published a moment ago: this process may not have had the notification yet.
      if (live?.journeyStatus !== 'live') {
        await runtime.catalog.reload();
        live = runtime.catalog.index.current(workspaceId, id);
      }
      if (live?.journeyStatus !== 'live')
        throw new AppError('conflict', `journey ${id} is ${journey.status}, not live`);
      if (live.compiled.trigger.kind !== 'api') {
        throw new AppError(
          'conflict',
          `journey ${id} starts with ${live.compiled.trigger.type}, not an API trigger`,
        );
      }
      const key = request.body.key ?? randomUUID();
      const entered = await runtime.enrollProfiles(workspaceId, id, [profile.id], {
        key: `api:${key}`,
        facts: { api: key },
      });
      if (entered === null) throw new AppError('conflict', `journey ${id} is ${journey.status}, not live`);
      return { entered: entered > 0 };
    },
  );
}
