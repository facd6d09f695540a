import { createHmac, timingSafeEqual } from 'node:crypto';
import { findDeliveryStatusSecrets, rotateDeliveryStatusSecret } from '@touchline/db';
import { IngestOverloaded } from '@touchline/ingest';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, unauthorized } from '../../errors.js';
import { workspaceOf } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { applyDeliveryStatus, type ReportOutcome } from '../../tracking/delivery-status.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received (after any Content-Encoding), for routes that verify a signature. */
    rawBody?: Buffer;
  }
}

/** How old a signature's timestamp may be: a captured request cannot be replayed later. */
export const signatureToleranceSeconds = 300;
const maxReports = 500;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Touchline's own webhooks sign. */
export function signDeliveryStatus(secret: string, body: string, timestamp: number): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

function verify(header: string | undefined, body: Buffer, secrets: readonly string[], now: number): void {
  const path = 'headers.x-touchline-signature';
  if (!header) {
    throw unauthorized(`${path}: required: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`);
  }
  const parts = header.split(',').map((part) => part.trim().split('=', 2) as [string, string?]);
  const t = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts
    .filter(([key, value]) => key === 'v1' && value)
    .map(([, value]) => value as string);
  if (!Number.isInteger(t) || signatures.length === 0) {
    throw unauthorized(`${path}: must read t=<unix seconds>,v1=<hex digest>`);
  }
  if (Math.abs(now - t) > signatureToleranceSeconds) {
    throw unauthorized(`${path}: the timestamp is more than ${signatureToleranceSeconds} s from now`);
  }
  const signed = Buffer.concat([Buffer.from(`${t}.`), body]);
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(signed).digest();
    for (const signature of signatures) {
      const given = Buffer.from(signature, 'hex');
      if (given.length === expected.length && timingSafeEqual(given, expected)) return;
    }
  }
  throw unauthorized(`${path}: does not match the body signed with this workspace's delivery status secret`);
}

const report = z
  .strictObject({
    messageId: z.uuid({ error: 'must be a Touchline message id (a UUID)' }).optional(),
    providerId: z.string().trim().min(1).max(998).optional().describe("the provider's id for the message"),
    status: z.enum(['delivered', 'bounced', 'complained', 'failed'], {
      error: 'must be one of delivered, bounced, complained, failed',
    }),
    bounce: z
      .enum(['hard', 'soft'], { error: 'must be "hard" or "soft"' })
      .optional()
      .describe('for bounced: hard (the default; the address is suppressed) or soft'),
    reason: z.string().max(2000).optional(),
    at: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date and time' }).optional(),
  })
  .refine((r) => r.messageId !== undefined || r.providerId !== undefined, {
    error: 'send messageId or providerId',
    path: ['messageId'],
  });

// A single report is read as a batch of one.
const reportsBody = z.preprocess(
  (body) =>
    body && typeof body === 'object' && !Array.isArray(body) && !('batch' in body) ? { batch: [body] } : body,
  z.strictObject({
    batch: z
      .array(report)
      .min(1, { error: 'must hold at least one report' })
      .max(maxReports, {
        error: `must hold at most ${maxReports} reports`,
      }),
  }),
);

const outcome = z.object({
  index: z.number().int(),
  messageId: z.string().nullable(),
  providerId: z.string().nullable(),
  outcome: z.enum(['applied', 'duplicate', 'unknown_message']),
});

/**
 * `POST /v1/delivery-status`: providers (or a relay that maps a provider's webhook to this
 * shape) report delivered, bounced, complained and failed messages. Registered under /v1, so
 * the write key names the workspace; the HMAC signature made with the workspace's delivery
 * status secret is what authenticates, since write keys ship inside browser and mobile apps.
 */
export async function deliveryStatusRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    try {
      done(null, raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8')));
    } catch {
      done(new AppError('bad_request', 'body: not valid JSON'), undefined);
    }
  });
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const secrets = await findDeliveryStatusSecrets(services.db, workspaceOf(request));
    if (secrets.length === 0) {
      throw unauthorized(
        'this workspace has no delivery status secret: create one with POST /api/delivery-status/secret',
      );
    }
    const header = request.headers['x-touchline-signature'];
    verify(
      Array.isArray(header) ? header[0] : header,
      request.rawBody ?? Buffer.alloc(0),
      secrets,
      Math.floor(Date.now() / 1000),
    );
  });

  r.post(
    '/delivery-status',
    {
      logLevel: 'warn',
      schema: {
        tags: ['delivery status'],
        summary: 'Report what happened to sent messages (delivered, bounced, complained, failed)',
        description:
          'One report, or `{ "batch": [...] }` of up to 500. Authenticated by `X-Touchline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` ' +
          'made with the workspace delivery status secret (POST /api/delivery-status/secret), within 5 minutes; ' +
          'the write key (HTTP Basic user name) names the workspace. Repeats change nothing; an unknown message is reported, not refused.',
        body: reportsBody,
        response: { 200: z.object({ success: z.literal(true), results: z.array(outcome) }) },
      },
    },
    async (request, reply) => {
      const workspaceId = workspaceOf(request);
      const receivedAt = new Date();
      const results: Array<z.infer<typeof outcome>> = [];
      for (const [index, item] of request.body.batch.entries()) {
        let result: ReportOutcome;
        try {
          result = await applyDeliveryStatus(services, workspaceId, item, receivedAt);
        } catch (error) {
          if (error instanceof IngestOverloaded) {
            reply.header('retry-after', '1');
            throw new AppError('rate_limited', error.message);
          }
          throw error;
        }
        results.push({
          index,
          messageId: item.messageId ?? null,
          providerId: item.providerId ?? null,
          outcome: result,
        });
      }
      return { success: true as const, results };
    },
  );
}

/** `POST /api/delivery-status/secret`: a new signing secret, shown once (the previous one keeps working). */
export async function deliveryStatusSecretRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/delivery-status/secret',
    {
      schema: {
        tags: ['delivery status'],
        summary: 'Create or rotate the secret delivery status webhooks are signed with',
        description:
          'Answers the new secret once. The one it replaces keeps verifying until the next rotation, so reports in flight are not refused.',
        response: { 201: z.object({ secret: z.string(), rotatedAt: z.string() }) },
      },
    },
    async (request, reply) => {
      const { secret, rotatedAt } = await rotateDeliveryStatusSecret(services.db, workspaceOf(request));
      return reply.status(201).send({ secret, rotatedAt: rotatedAt.toISOString() });
    },
  );
}
