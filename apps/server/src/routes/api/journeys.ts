import {
  type Db,
  type DbOrTrx,
  deleteJourney,
  draftAuthor,
  exitRunningEnrollments,
  findJourney,
  findJourneyVersion,
  insertJourney,
  insertJourneyVersion,
  type Journey,
  latestJourneyVersion,
  listJourneySummaries,
  listJourneyVersions,
  moveRunningEnrollments,
  referenceIds,
  releaseHeldEnrollments,
  setJourneyStatus,
  updateJourneyDraft,
} from '@touchline/db';
import { type CompileResult, compile, type NodeTypeRegistry } from '@touchline/journey';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { copyName, duplicateBody, journeyListItem, toListItem } from './journey-list-schemas.js';
import {
  draftConflictBody,
  emptyJourneyGraph,
  journeyBody,
  journeyErrorSchema,
  listQuery,
  nodeViewsSchema,
  summaryBody,
  versionBody,
} from './journey-schemas.js';
import { namedNodeViews } from './node-view-names.js';

const idParams = z.object({ id: z.uuid({ error: 'must be a journey id (a UUID)' }) });
// Drafts are stored as given, even when invalid; the document only has to be a JSON object.
const draftGraph = z.record(z.string(), z.unknown());

async function requireJourney(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
  forUpdate = false,
): Promise<Journey> {
  const journey = await findJourney(db, workspaceId, id, { forUpdate });
  if (!journey) throw notFound(`journey ${id} not found`);
  return journey;
}

function memberOf(principal: ReturnType<typeof requirePrincipal>): string | null {
  return principal.kind === 'member' ? principal.memberId : null;
}

async function compileFor(db: Db, registry: NodeTypeRegistry, workspaceId: string, graph: unknown) {
  return compile(graph, registry, await referenceIds(db, workspaceId));
}

function toBody(journey: Journey, validation?: CompileResult) {
  return {
    id: journey.id,
    name: journey.name,
    status: journey.status,
    liveVersion: journey.live_version,
    graph: journey.draft,
    draftRevision: journey.draft_revision,
    createdAt: journey.created_at.toISOString(),
    updatedAt: journey.updated_at.toISOString(),
    ...(validation
      ? {
          validation: validation.ok
            ? { ok: true, errors: [] }
            : { ok: false, errors: [...validation.errors] },
        }
      : {}),
  };
}

function toSummary(journey: Journey) {
  return {
    id: journey.id,
    name: journey.name,
    status: journey.status,
    liveVersion: journey.live_version,
    updatedAt: journey.updated_at.toISOString(),
  };
}

/** Journeys: drafts saved as drawn, validated by the compiler, published as immutable versions. */
export async function journeyRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, registry, runtime } = services;
  const tags = ['journeys'];

  r.get(
    '/node-types',
    {
      schema: {
        tags: ['node types'],
        summary: 'The node-type registry: labels, ports and config JSON Schemas',
        response: { 200: z.object({ nodeTypes: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async () => ({ nodeTypes: registry.describe() as unknown as Array<Record<string, unknown>> }),
  );

  r.post(
    '/journeys/validate',
    {
      schema: {
        tags,
        summary: 'Validate and compile a journey graph without saving it',
        body: z.object({ graph: z.unknown() }),
        response: {
          200: z.object({ compiled: z.record(z.string(), z.unknown()), nodes: nodeViewsSchema }),
          422: z.object({ errors: z.array(journeyErrorSchema), nodes: nodeViewsSchema }),
        },
      },
    },
    async (request, reply) => {
      const { graph } = request.body;
      const workspaceId = requirePrincipal(request).workspaceId;
      // Independent reads (the workspace's reference ids, the names the summaries show): at once.
      const [result, nodes] = await Promise.all([
        compileFor(db, registry, workspaceId, graph),
        namedNodeViews(db, registry, workspaceId, graph),
      ]);
      if (!result.ok) return reply.status(422).send({ errors: [...result.errors], nodes });
      return { compiled: result.compiled as unknown as Record<string, unknown>, nodes };
    },
  );

  r.get(
    '/journeys',
    {
      schema: {
        tags,
        summary: 'List journeys, most recently edited first',
        description:
          '`q` finds names containing it (any case); archived journeys are listed only with `status=archived`. ' +
          'Each has its enrollments of the last seven days and the member who last saved or published it.',
        querystring: listQuery,
        response: { 200: z.object({ journeys: z.array(journeyListItem) }) },
      },
    },
    async (request) => {
      const { status, q, limit, offset } = request.query;
      const journeys = await listJourneySummaries(db, requirePrincipal(request).workspaceId, {
        ...(status ? { status } : {}),
        ...(q ? { search: q } : {}),
        limit,
        offset,
      });
      return { journeys: journeys.map(toListItem) };
    },
  );

  r.post(
    '/journeys/:id/duplicate',
    {
      schema: {
        tags,
        summary: 'Copy a journey’s draft into a new draft journey',
        description:
          'The copy is a draft named “<name> (copy)” unless a name is sent; versions stay with the original.',
        params: idParams,
        body: duplicateBody,
        response: { 201: journeyBody },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const original = await requireJourney(db, principal.workspaceId, request.params.id);
      const copy = await insertJourney(db, {
        workspaceId: principal.workspaceId,
        name: request.body?.name ?? copyName(original.name),
        draft: original.draft,
        memberId: memberOf(principal),
      });
      return reply
        .status(201)
        .send(toBody(copy, await compileFor(db, registry, principal.workspaceId, copy.draft)));
    },
  );

  r.post(
    '/journeys',
    {
      schema: {
        tags,
        summary: 'Create a journey (a draft)',
        body: z.object({
          name: z.string().trim().min(1, { error: 'is required' }).max(200),
          graph: draftGraph.optional(),
        }),
        response: { 201: journeyBody },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const graph = request.body.graph ?? emptyJourneyGraph();
      const journey = await insertJourney(db, {
        workspaceId: principal.workspaceId,
        name: request.body.name,
        draft: graph,
        memberId: memberOf(principal),
      });
      return reply
        .status(201)
        .send(toBody(journey, await compileFor(db, registry, principal.workspaceId, graph)));
    },
  );

  r.get(
    '/journeys/:id',
    {
      schema: {
        tags,
        summary: 'A journey with its draft and the draft’s validation',
        params: idParams,
        response: { 200: journeyBody },
      },
    },
    async (request) => {
      const workspaceId = requirePrincipal(request).workspaceId;
      const journey = await requireJourney(db, workspaceId, request.params.id);
      const [compiled, nodes] = await Promise.all([
        compileFor(db, registry, workspaceId, journey.draft),
        namedNodeViews(db, registry, workspaceId, journey.draft),
      ]);
      return { ...toBody(journey, compiled), nodes };
    },
  );

  r.put(
    '/journeys/:id',
    {
      schema: {
        tags,
        summary: 'Save the draft (as drawn, even when invalid) and/or rename',
        description:
          'Each draft save bumps `draftRevision`. With `baseRevision` (the `draftRevision` the editor ' +
          'loaded or last saved), a graph is saved only while that is still the current revision; ' +
          'otherwise 409 says who saved since, when, and the current revision, and nothing changes. ' +
          'Without it the graph is saved over whatever is there. A rename alone never conflicts.',
        params: idParams,
        body: z
          .object({
            name: z.string().trim().min(1, { error: 'must not be empty' }).max(200).optional(),
            graph: draftGraph.optional(),
            baseRevision: z
              .number({ error: 'must be a draft revision (an integer)' })
              .int({ error: 'must be a draft revision (an integer)' })
              .min(1, { error: 'must be a draft revision (1 or more)' })
              .optional()
              .describe('save the graph only if this is still the current `draftRevision`'),
          })
          .refine((b) => b.name !== undefined || b.graph !== undefined, {
            error: 'send a name, a graph, or both',
          }),
        response: { 200: journeyBody, 409: draftConflictBody },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { workspaceId } = principal;
      const { id } = request.params;
      const { name, graph, baseRevision } = request.body;
      const journey = await updateJourneyDraft(db, workspaceId, id, {
        ...(name !== undefined ? { name } : {}),
        ...(graph !== undefined ? { draft: graph } : {}),
        ...(baseRevision !== undefined ? { baseRevision } : {}),
        memberId: memberOf(principal),
      });
      if (!journey) {
        // Nothing matched: the journey is gone, or the draft moved on from `baseRevision`.
        const current = await draftAuthor(db, workspaceId, id);
        if (!current) throw notFound(`journey ${id} not found`);
        if (graph === undefined || baseRevision === undefined)
          throw new AppError('conflict', 'the journey changed while it was being saved; try again');
        const who = current.updated_by_email ?? 'an API client';
        const when = current.updated_at.toISOString();
        return reply.status(409).send({
          error: 'Conflict',
          code: 'conflict',
          message:
            `baseRevision ${baseRevision} is not the current draft revision ${current.draft_revision}: ` +
            `${who} saved this journey at ${when}. Nothing was changed; load the journey again, or send ` +
            `baseRevision ${current.draft_revision} to save over it.`,
          baseRevision,
          draftRevision: current.draft_revision,
          updatedAt: when,
          updatedBy: current.updated_by_email,
        });
      }
      return toBody(journey, await compileFor(db, registry, workspaceId, journey.draft));
    },
  );

  r.delete(
    '/journeys/:id',
    {
      schema: {
        tags,
        summary: 'Delete a never-published journey; archive a published one (its history stays)',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const workspaceId = requirePrincipal(request).workspaceId;
      const journey = await requireJourney(db, workspaceId, request.params.id);
      if (journey.live_version === null) await deleteJourney(db, workspaceId, journey.id);
      else {
        await db.transaction().execute(async (trx) => {
          await setJourneyStatus(trx, workspaceId, journey.id, 'archived');
          // Archiving ends every running enrollment; their timers find nothing left to run.
          await exitRunningEnrollments(trx, workspaceId, journey.id, 'the journey was archived');
        });
        await runtime.catalog.reload();
      }
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/journeys/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish the draft as a new immutable version (422 with the errors when invalid)',
        description:
          'New enrollments take the new version. Running enrollments finish on the version they started ' +
          '(`runningEnrollments: "stay"`, the default) or move to the node with the same id in the new ' +
          'version (`"move"`; those whose node no longer exists stay).',
        params: idParams,
        body: z
          .object({
            runningEnrollments: z.enum(['stay', 'move'], { error: 'must be "stay" or "move"' }).optional(),
          })
          .nullish(),
        response: {
          200: z.object({
            journey: summaryBody,
            version: z.number().int(),
            moved: z.number().int().describe('running enrollments moved to the new version'),
          }),
          422: z.object({ errors: z.array(journeyErrorSchema) }),
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const result = await db.transaction().execute(async (trx) => {
        const journey = await requireJourney(trx, principal.workspaceId, request.params.id, true);
        if (journey.status === 'archived')
          throw new AppError('conflict', 'an archived journey cannot be published');
        const compiled = compile(journey.draft, registry, await referenceIds(trx, principal.workspaceId));
        if (!compiled.ok) return { ok: false as const, errors: compiled.errors };
        const version = (await latestJourneyVersion(trx, principal.workspaceId, journey.id)) + 1;
        await insertJourneyVersion(trx, {
          workspaceId: principal.workspaceId,
          journeyId: journey.id,
          version,
          graph: journey.draft,
          compiled: compiled.compiled,
          memberId: memberOf(principal),
        });
        const moved =
          request.body?.runningEnrollments === 'move'
            ? await moveRunningEnrollments(
                trx,
                principal.workspaceId,
                journey.id,
                version,
                Object.fromEntries(
                  Object.entries(compiled.compiled.nodes).map(([id, node]) => [id, node.type]),
                ),
              )
            : 0;
        const live = await setJourneyStatus(
          trx,
          principal.workspaceId,
          journey.id,
          'live',
          version,
          memberOf(principal),
        );
        // Publishing a paused journey makes it live: timers that fired while paused run now.
        if (journey.status === 'paused') await releaseHeldEnrollments(trx, principal.workspaceId, journey.id);
        return { ok: true as const, journey: live ?? journey, version, moved };
      });
      if (!result.ok) return reply.status(422).send({ errors: [...result.errors] });
      await runtime.catalog.reload();
      return { journey: toSummary(result.journey), version: result.version, moved: result.moved };
    },
  );

  for (const [action, from, to] of [
    ['pause', 'live', 'paused'],
    ['resume', 'paused', 'live'],
  ] as const) {
    r.post(
      `/journeys/:id/${action}`,
      {
        schema: {
          tags,
          summary: `${action[0]?.toUpperCase()}${action.slice(1)} a journey`,
          params: idParams,
          response: { 200: summaryBody },
        },
      },
      async (request) => {
        const workspaceId = requirePrincipal(request).workspaceId;
        const journey = await requireJourney(db, workspaceId, request.params.id);
        if (journey.status !== from) {
          throw new AppError(
            'conflict',
            `only a ${from} journey can be ${action}d; this one is ${journey.status}`,
          );
        }
        const updated = await db.transaction().execute(async (trx) => {
          const changed = await setJourneyStatus(trx, workspaceId, journey.id, to);
          // Timers that fired while paused held their enrollments: run them now.
          if (to === 'live') await releaseHeldEnrollments(trx, workspaceId, journey.id);
          return changed;
        });
        await runtime.catalog.reload();
        return toSummary(updated ?? journey);
      },
    );
  }

  r.get(
    '/journeys/:id/versions',
    {
      schema: {
        tags,
        summary: 'Published versions, newest first',
        params: idParams,
        response: { 200: z.object({ versions: z.array(versionBody) }) },
      },
    },
    async (request) => {
      const workspaceId = requirePrincipal(request).workspaceId;
      const journey = await requireJourney(db, workspaceId, request.params.id);
      const versions = await listJourneyVersions(db, workspaceId, journey.id);
      return {
        versions: versions.map((v) => ({
          version: v.version,
          publishedAt: v.published_at.toISOString(),
          publishedBy: v.published_by,
        })),
      };
    },
  );

  r.get(
    '/journeys/:id/versions/:version',
    {
      schema: {
        tags,
        summary: 'One published version: its graph and compiled rules',
        params: idParams.extend({
          version: z.coerce.number().int().min(1, { error: 'must be a version number (1 or more)' }),
        }),
        response: { 200: versionBody.extend({ graph: z.unknown(), compiled: z.unknown() }) },
      },
    },
    async (request) => {
      const workspaceId = requirePrincipal(request).workspaceId;
      const version = await findJourneyVersion(db, workspaceId, request.params.id, request.params.version);
      if (!version) throw notFound(`journey ${request.params.id} has no version ${request.params.version}`);
      return {
        version: version.version,
        publishedAt: version.published_at.toISOString(),
        publishedBy: version.published_by,
        graph: version.graph,
        compiled: version.compiled,
      };
    },
  );
}
