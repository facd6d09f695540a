import { createLiquidEngines } from '@touchline/channels';
import {
  findTemplate,
  insertTemplate,
  insertTemplateVersion,
  listTemplates,
  type TemplateRow,
} from '@touchline/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { templatePreviewRoutes } from './template-preview.js';
import {
  createTemplateBody,
  templateErrorResponse,
  templateResponse,
  updateTemplateBody,
} from './template-schemas.js';
import { templateTestSendRoutes } from './template-test-send.js';
import { assertValidTemplate } from './template-validation.js';

const idParams = z.object({ id: z.uuid({ error: 'must be a template id (a UUID)' }) });
const channel = z.enum(['email', 'sms', 'push', 'whatsapp', 'inapp', 'webhook']);

function toBody(row: TemplateRow) {
  return { ...row, updatedAt: row.updatedAt.toISOString() };
}

/** Message templates with versions; a send node references a template by id. */
export async function templateRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;
  const tags = ['templates'];
  // Validation parses Liquid with the same sandboxed engines delivery renders with.
  const engines = createLiquidEngines();
  await templatePreviewRoutes(app, services, engines);
  await templateTestSendRoutes(app, services);

  r.get(
    '/templates',
    {
      schema: {
        tags,
        summary: 'List templates (current versions)',
        querystring: z.object({ channel: channel.optional() }),
        response: { 200: z.object({ templates: z.array(templateResponse) }) },
      },
    },
    async (request) => {
      const rows = await listTemplates(db, requirePrincipal(request).workspaceId, request.query.channel);
      return { templates: rows.map(toBody) };
    },
  );

  r.post(
    '/templates',
    {
      schema: {
        tags,
        summary: 'Create a template',
        body: createTemplateBody,
        response: { 201: templateResponse, 422: templateErrorResponse },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { name, ...content } = request.body;
      const warnings = await assertValidTemplate(content, engines);
      const id = await insertTemplate(db, {
        workspaceId: principal.workspaceId,
        name,
        channel: content.channel,
        content,
        memberId: principal.kind === 'member' ? principal.memberId : null,
      });
      const row = await findTemplate(db, principal.workspaceId, id);
      return reply.status(201).send({ ...toBody(row!), ...(warnings.length > 0 ? { warnings } : {}) });
    },
  );

  r.get(
    '/templates/:id',
    {
      schema: {
        tags,
        summary: 'A template’s current version',
        params: idParams,
        response: { 200: templateResponse },
      },
    },
    async (request) => {
      const row = await findTemplate(db, requirePrincipal(request).workspaceId, request.params.id);
      if (!row) throw notFound(`template ${request.params.id} not found`);
      return toBody(row);
    },
  );

  r.put(
    '/templates/:id',
    {
      schema: {
        tags,
        summary: 'Save a new version of a template',
        params: idParams,
        body: updateTemplateBody,
        response: { 200: templateResponse, 422: templateErrorResponse },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const existing = await findTemplate(db, principal.workspaceId, request.params.id);
      if (!existing) throw notFound(`template ${request.params.id} not found`);
      const { name, ...content } = request.body;
      if (content.channel !== existing.channel) {
        throw new AppError(
          'unprocessable',
          `body.channel: this is a ${existing.channel} template; its channel cannot change`,
        );
      }
      const warnings = await assertValidTemplate(content, engines);
      await insertTemplateVersion(db, principal.workspaceId, existing.id, {
        ...(name !== undefined ? { name } : {}),
        content,
        memberId: principal.kind === 'member' ? principal.memberId : null,
      });
      const saved = toBody((await findTemplate(db, principal.workspaceId, existing.id))!);
      return warnings.length > 0 ? { ...saved, warnings } : saved;
    },
  );
}
