import { findWorkspace, updateWorkspace, type Workspace } from '@touchline/db';
import { ingestSettingsOf, ingestSettingsSchema } from '@touchline/ingest';
import { messagingSettingsSchema } from '@touchline/journey';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import { workspaceOf } from '../../plugins/auth.js';
import type { Services } from '../../services.js';

const tags = ['workspace'];
const ingestFields = ingestSettingsSchema.shape;

// Without their defaults: a patch that leaves a setting out must not reset it. null resets it.
const settingsPatch = z.strictObject({
  orderEvent: ingestFields.orderEvent.removeDefault().nullable().optional(),
  revenueProperty: ingestFields.revenueProperty.removeDefault().nullable().optional(),
  messaging: messagingSettingsSchema
    .nullable()
    .optional()
    .describe('consent defaults, caps per channel and the minimum interval for marketing sends'),
});

const patchBody = z
  .object({
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(200).optional(),
    settings: settingsPatch.optional(),
  })
  .refine((body) => body.name !== undefined || body.settings !== undefined, {
    error: 'send a name, settings, or both',
  });

const workspaceBody = z.object({
  id: z.uuid(),
  name: z.string(),
  settings: z
    .looseObject({ orderEvent: z.string(), revenueProperty: z.string() })
    .describe('every stored setting, with the ingestion settings’ defaults filled in'),
});

function toBody(workspace: Workspace): z.infer<typeof workspaceBody> {
  return {
    id: workspace.id,
    name: workspace.name,
    settings: { ...workspace.settings, ...ingestSettingsOf(workspace.settings) },
  };
}

/** The signed-in workspace: its name and the settings that shape ingestion. */
export async function workspaceRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.get(
    '/workspace',
    { schema: { tags, summary: 'The workspace and its settings', response: { 200: workspaceBody } } },
    async (request) => {
      const workspace = await findWorkspace(db, workspaceOf(request));
      if (!workspace) throw notFound('workspace not found');
      return toBody(workspace);
    },
  );

  r.patch(
    '/workspace',
    {
      schema: {
        tags,
        summary: 'Rename the workspace or change some of its settings',
        description:
          'Settings sent replace those stored; a setting sent as null goes back to its default; settings not sent are kept.',
        body: patchBody,
        response: { 200: workspaceBody },
      },
    },
    async (request) => {
      const { name, settings = {} } = request.body;
      const set: Record<string, unknown> = {};
      const unset: string[] = [];
      for (const [key, value] of Object.entries(settings)) {
        if (value === null) unset.push(key);
        else if (value !== undefined) set[key] = value;
      }
      const workspace = await updateWorkspace(db, workspaceOf(request), { name, set, unset });
      if (!workspace) throw notFound('workspace not found');
      // This process counts orders by the new names at once; other processes within seconds.
      services.ingest.invalidateSettings(workspace.id);
      return toBody(workspace);
    },
  );
}
