import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Services } from '../services.js';

const healthBody = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['ok', 'unreachable']),
  worker: z.enum(['running', 'stopped', 'external']),
});

/** 200 once the database is migrated and reachable and the worker runs (or runs elsewhere). */
export async function healthRoutes(app: FastifyInstance, services: Services): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and readiness',
        response: { 200: healthBody, 503: healthBody },
      },
      logLevel: 'warn',
    },
    async (_request, reply) => {
      const database = await sql`select 1`
        .execute(services.db)
        .then(() => 'ok' as const)
        .catch(() => 'unreachable' as const);
      const worker = !services.config.worker ? 'external' : services.worker() ? 'running' : 'stopped';
      const ok = database === 'ok' && worker !== 'stopped';
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database, worker });
    },
  );
}
