import {
  findJourney,
  findJourneyVersion,
  findProfileByIdentifier,
  findWorkspace,
  referenceIds,
  suppressedChannelsOf,
} from '@touchline/db';
import { type CompiledJourney, compile, type JourneyError, messagingPolicyOf } from '@touchline/journey';
import { type ProfileSource, SimulationInputError, simulate } from '@touchline/runtime';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { journeyErrorSchema } from './journey-schemas.js';
import {
  errorBody,
  isStoredProfile,
  profileSourceOf,
  simulateBody,
  simulationBody,
} from './simulation-schemas.js';

type Loaded =
  | {
      readonly ok: true;
      readonly compiled: CompiledJourney;
      readonly profile: ProfileSource;
      readonly messaging: unknown;
    }
  | { readonly ok: false; readonly errors: readonly JourneyError[] };

/**
 * The simulator: a journey run for one person over a timeline of events, with no side effects.
 * Everything it reads is read in one read-only transaction, so PostgreSQL itself refuses any
 * write; the run is the pure `simulate` of @touchline/runtime.
 */
export async function journeySimulateRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, registry } = services;
  r.post(
    '/journeys/:id/simulate',
    {
      schema: {
        tags: ['journeys'],
        summary:
          'Run the draft (or a version) for one profile and a timeline of events, with no side effects',
        description:
          'Returns the path with the reason at each step, and the messages it would send. Nothing is ' +
          'written: no enrollment, no message, no job. Waits end by timeout when the next event comes ' +
          'later than the wake time; the awaited (correlated) event resumes its wait; goal and exit events ' +
          'end the enrollment. `eventCount` and `lastEvent` read the simulated events, `inSegment` the ' +
          '`segments` list.',
        params: z.object({ id: z.uuid({ error: 'must be a journey id (a UUID)' }) }),
        body: simulateBody,
        response: {
          200: simulationBody,
          400: errorBody,
          404: errorBody,
          422: z.object({ errors: z.array(journeyErrorSchema) }),
        },
      },
    },
    async (request, reply) => {
      const { workspaceId } = requirePrincipal(request);
      const { id } = request.params;
      const body = request.body;
      const loaded = await db
        .transaction()
        .setAccessMode('read only')
        .execute(async (trx): Promise<Loaded> => {
          const journey = await findJourney(trx, workspaceId, id);
          if (!journey) throw notFound(`journey ${id} not found`);
          let compiled: CompiledJourney;
          if (body.version === 'draft') {
            const result = compile(journey.draft, registry, await referenceIds(trx, workspaceId));
            if (!result.ok) return { ok: false, errors: result.errors };
            compiled = result.compiled;
          } else {
            const version = await findJourneyVersion(trx, workspaceId, id, body.version);
            if (!version) {
              throw new AppError('not_found', `body.version: journey ${id} has no version ${body.version}`, [
                { path: 'body.version', message: `journey ${id} has no version ${body.version}` },
              ]);
            }
            compiled = version.compiled as unknown as CompiledJourney;
          }
          const messaging = (await findWorkspace(trx, workspaceId))?.settings.messaging;
          if (!isStoredProfile(body.profile)) {
            return { ok: true, compiled, profile: profileSourceOf(body.profile), messaging };
          }
          const { userId } = body.profile;
          const profile = await findProfileByIdentifier(trx, workspaceId, userId);
          if (!profile) {
            const message = `no profile "${userId}" in this workspace`;
            throw new AppError('not_found', `body.profile.userId: ${message}`, [
              { path: 'body.profile.userId', message },
            ]);
          }
          // The suppression list as the runtime reads it, so a suppressed address shows as suppressed.
          const suppressed = await suppressedChannelsOf(trx, workspaceId, profile);
          return { ok: true, compiled, profile: { ...profile, suppressed_channels: suppressed }, messaging };
        });
      if (!loaded.ok) return reply.status(422).send({ errors: [...loaded.errors] });
      const start = body.start ? new Date(body.start) : new Date();
      const result = await simulate({
        compiled: loaded.compiled,
        profile: loaded.profile,
        messaging: messagingPolicyOf(loaded.messaging),
        start,
        events: body.events,
        ...(body.until ? { until: new Date(body.until) } : {}),
        ...(body.segments ? { segments: body.segments } : {}),
        ...(body.seed ? { seed: body.seed } : {}),
      }).catch((error: unknown) => {
        // The body schema checks the same; a timeline it let through is still the caller's mistake.
        if (!(error instanceof SimulationInputError)) throw error;
        const issue = { path: `body.${error.path}`, message: error.message.slice(error.path.length + 2) };
        throw new AppError('validation_failed', `${issue.path}: ${issue.message}`, [issue]);
      });
      return {
        journeyId: id,
        version: body.version,
        start: start.toISOString(),
        ...result,
        path: [...result.path],
        messages: [...result.messages],
        events: [...result.events],
      };
    },
  );
}
