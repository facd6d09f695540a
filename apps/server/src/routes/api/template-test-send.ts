import { randomUUID } from 'node:crypto';
import {
  type Db,
  findProfileByAddress,
  findProfileByIdentifier,
  findTemplate,
  findTestProfiles,
  insertTestMessages,
  type Profile,
  type TemplateRow,
} from '@touchline/db';
import { normalisePhone } from '@touchline/ingest';
import { enqueueMany } from '@touchline/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { templateErrorResponse, testSendBody, testSendResponse } from './template-schemas.js';

/** At most this many test profiles get one test send. */
const maxTestProfiles = 20;

type TestSendBody = z.infer<typeof testSendBody>;
interface Recipient {
  profile: Profile;
  /** The address to send to; null: the profile's own. */
  to: string | null;
}

/** The address a channel sends to by default: email and phone; push and in-app use the profile. */
function ownAddress(channel: string, profile: Profile): string | null | undefined {
  if (channel === 'email') return profile.email;
  if (channel === 'sms' || channel === 'whatsapp') return profile.phone;
  return undefined;
}

/** Who a test send goes to: the named profile or address, then the test profiles, once each. */
async function recipientsOf(
  db: Db,
  workspaceId: string,
  channel: string,
  body: TestSendBody,
): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  const to = body.to ?? null;
  if (body.userId !== undefined) {
    const profile = await findProfileByIdentifier(db, workspaceId, body.userId);
    if (!profile) throw notFound(`body.userId: no profile with user id "${body.userId}"`);
    if (to === null && ownAddress(channel, profile) === null) {
      throw new AppError(
        'unprocessable',
        `body.to: profile "${body.userId}" has no ${channel === 'email' ? 'email address' : 'phone number'}; send \`to\``,
      );
    }
    recipients.push({ profile, to });
  } else if (to !== null) {
    const profile = await findProfileByAddress(db, workspaceId, {
      ...(to.includes('@') ? { email: to } : {}),
      phone: normalisePhone(to),
    });
    if (!profile) {
      throw new AppError(
        'unprocessable',
        `body.userId: no profile has the address "${to}"; name the profile whose data fills the template`,
      );
    }
    recipients.push({ profile, to });
  }
  if (body.testProfiles) {
    const testProfiles = await findTestProfiles(db, workspaceId, maxTestProfiles);
    if (testProfiles.length === 0 && recipients.length === 0) {
      throw new AppError(
        'unprocessable',
        'body.testProfiles: no profile is a test profile (a profile becomes one with the trait `test_profile: true`)',
      );
    }
    for (const profile of testProfiles) {
      if (recipients.some((r) => r.profile.id === profile.id)) continue;
      if (ownAddress(channel, profile) === null) continue;
      recipients.push({ profile, to: null });
    }
  }
  return recipients;
}

/**
 * What a test send puts in the outbox: the node a journey would have sent it from, marked
 * transactional (no consent or caps apply, and it counts towards none) and `test`.
 */
function testContent(
  template: TemplateRow,
  recipient: Recipient,
  body: TestSendBody,
  requestedBy: string | null,
) {
  const node =
    template.channel === 'webhook'
      ? { type: 'send.webhook', ...template.content, transactional: true }
      : { type: `send.${template.channel}`, templateId: template.id, transactional: true };
  return {
    test: true,
    ...(recipient.to !== null ? { to: recipient.to } : {}),
    node,
    triggerEvent: body.event ?? null,
    journey: {},
    requestedBy,
  };
}

/** `POST /api/templates/:id/test-send`: the saved template, delivered as a test through the outbox. */
export async function templateTestSendRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;
  r.post(
    '/templates/:id/test-send',
    {
      schema: {
        tags: ['templates'],
        summary: 'Send the saved template as a test',
        description:
          'Queues one message per recipient in the outbox, delivered by the worker through the workspace’s channel ' +
          'adapter with the same retries and idempotency as any send. A test is transactional (consent and frequency ' +
          'caps do not apply, and it counts towards none) and listed by `GET /api/messages` with `test: true`. ' +
          'Liquid reads the profile of `userId` (else the profile with the address `to`) and `event`; ' +
          '`testProfiles` adds every profile with the trait `test_profile: true`, each with its own data and address.',
        params: z.object({ id: z.uuid({ error: 'must be a template id (a UUID)' }) }),
        body: testSendBody,
        response: { 202: testSendResponse, 404: templateErrorResponse, 422: templateErrorResponse },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { workspaceId } = principal;
      const template = await findTemplate(db, workspaceId, request.params.id);
      if (!template) throw notFound(`template ${request.params.id} not found`);
      const recipients = await recipientsOf(db, workspaceId, template.channel, request.body);
      const requestedBy = principal.kind === 'member' ? principal.memberId : null;
      const messages = recipients.map((recipient) => ({
        workspaceId,
        idempotencyKey: `test:${randomUUID()}`,
        profileId: recipient.profile.id,
        channel: template.channel,
        templateId: template.id,
        templateVersion: template.version,
        content: testContent(template, recipient, request.body, requestedBy),
      }));
      // The rows and their delivery jobs commit together, as a journey's sends do.
      const ids = await db.transaction().execute(async (trx) => {
        const inserted = await insertTestMessages(trx, messages);
        await enqueueMany(
          trx,
          inserted.map((messageId) => ({
            task: 'message_deliver' as const,
            payload: { workspaceId, messageId },
            jobKey: `deliver:${messageId}`,
          })),
        );
        return inserted;
      });
      return reply.status(202).send({
        messages: recipients.map((recipient, index) => ({
          id: ids[index] as string,
          userId: recipient.profile.user_id,
          to: recipient.to ?? ownAddress(template.channel, recipient.profile) ?? null,
          status: 'queued',
        })),
      });
    },
  );
}
