import { findJourney, findJourneyVersion, journeyEnrollmentCounts, journeyStepCounts } from '@touchline/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';

const nodeStats = z.object({
  entered: z.number().int().describe('visits of the node (an enrollment looping counts each visit)'),
  waiting: z.number().int().describe('enrollments waiting at the node now'),
  ports: z.record(z.string(), z.number().int()).describe('visits that left by each port'),
});

/** Journey stats v1: per node entered, waiting now and left by port, from the step log. */
export async function journeyStatsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;
  r.get(
    '/journeys/:id/stats',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Per node: entered, waiting now, and exits per port; enrollments by outcome',
        params: z.object({ id: z.uuid({ error: 'must be a journey id (a UUID)' }) }),
        querystring: z.object({
          version: z.coerce
            .number()
            .int()
            .min(1, { error: 'must be a version number (1 or more)' })
            .optional()
            .describe('one published version; all versions when absent'),
        }),
        response: {
          200: z.object({
            journeyId: z.uuid(),
            version: z.number().int().nullable(),
            totals: z.object({
              entered: z.number().int(),
              running: z.number().int(),
              completed: z.number().int(),
              exited: z.number().int(),
              failed: z.number().int(),
              converted: z.number().int(),
            }),
            nodes: z.record(z.string(), nodeStats),
          }),
        },
      },
    },
    async (request) => {
      const workspaceId = requirePrincipal(request).workspaceId;
      const { id } = request.params;
      const version = request.query.version ?? null;
      if (!(await findJourney(db, workspaceId, id))) throw notFound(`journey ${id} not found`);
      if (version !== null && !(await findJourneyVersion(db, workspaceId, id, version))) {
        throw notFound(`journey ${id} has no version ${version}`);
      }
      // One snapshot for both counts: read apart, a wake that commits in between shows enrollments
      // completed at nodes the step counts have not reached yet.
      const [steps, enrollments] = await db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((trx) =>
          Promise.all([
            journeyStepCounts(trx, workspaceId, id, version),
            journeyEnrollmentCounts(trx, workspaceId, id, version),
          ]),
        );
      const nodes: Record<string, z.infer<typeof nodeStats>> = {};
      const node = (nodeId: string) => {
        nodes[nodeId] ??= { entered: 0, waiting: 0, ports: {} };
        return nodes[nodeId];
      };
      for (const row of steps) {
        const stats = node(row.node_id);
        stats.entered += row.steps;
        if (row.port !== null) stats.ports[row.port] = (stats.ports[row.port] ?? 0) + row.steps;
      }
      const totals = { entered: 0, running: 0, completed: 0, exited: 0, failed: 0, converted: 0 };
      for (const row of enrollments) {
        totals.entered += row.n;
        totals.converted += row.converted;
        if (row.status === 'active' || row.status === 'waiting') totals.running += row.n;
        else if (row.status === 'completed' || row.status === 'exited' || row.status === 'failed')
          totals[row.status] += row.n;
        if (row.status === 'waiting' && row.current_node) node(row.current_node).waiting += row.n;
      }
      return { journeyId: id, version, totals, nodes };
    },
  );
}
