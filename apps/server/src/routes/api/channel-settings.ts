import {
  type ChannelName,
  type ChannelSettings,
  channelNames,
  channelSettingsSchema,
  createSettingsCipher,
  keepStoredSecrets,
  maskSecrets,
  type SecretValues,
  SettingsDecryptError,
  splitSecrets,
  validateChannelSettings,
} from '@touchline/channels';
import {
  type ChannelSettingsRow,
  type Db,
  deleteChannelSettings,
  findChannelSettings,
  listChannelSettings,
  saveChannelSettings,
} from '@touchline/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { AppError, type FieldIssue, formatIssues, notFound } from '../../errors.js';
import { requirePrincipal, workspaceOf } from '../../plugins/auth.js';
import type { Services } from '../../services.js';

const tags = ['workspace'];
const channelParams = z.object({
  channel: z.enum(channelNames, { error: `must be one of ${channelNames.join(', ')}` }),
});

const channelBody = z.object({
  channel: z.string(),
  source: z
    .enum(['workspace', 'environment'])
    .describe(
      'workspace: these settings; environment: no settings stored, the start-up configuration applies',
    ),
  adapter: z.string(),
  settings: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('the stored settings, every credential masked (••••1234); null for the environment'),
  version: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
});
type ChannelBody = z.infer<typeof channelBody>;

/** What a channel is delivered with when a workspace has not set it (`createDefaultChannels`). */
function environmentAdapter(channel: ChannelName, config: Config): string {
  if (channel === 'email') return config.smtpUrl ? 'smtp' : 'sandbox';
  if (channel === 'inapp') return 'inapp';
  if (channel === 'webhook') return 'webhook';
  return 'sandbox';
}

/** Workspace channel settings: which adapter delivers each channel, and its credentials (encrypted). */
export async function channelSettingsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = services;
  const cipher = createSettingsCipher(services.trackingSecrets);
  const aad = (workspaceId: string, channel: string) => `${workspaceId}/${channel}`;

  /** The row's credentials; none when they do not decrypt (a lost key: a PUT with new ones mends it). */
  const storedSecrets = (workspaceId: string, row: ChannelSettingsRow | undefined): SecretValues => {
    if (!row?.secrets) return {};
    try {
      return JSON.parse(cipher.decrypt(row.secrets, aad(workspaceId, row.channel))) as SecretValues;
    } catch (error) {
      if (error instanceof SettingsDecryptError) return {};
      throw error;
    }
  };

  const toBody = (
    workspaceId: string,
    channel: ChannelName,
    row: ChannelSettingsRow | undefined,
  ): ChannelBody => {
    if (!row) {
      return {
        channel,
        source: 'environment',
        adapter: environmentAdapter(channel, config),
        settings: null,
        version: null,
        updatedAt: null,
      };
    }
    const stored = channelSettingsSchema.parse(row.config);
    return {
      channel,
      source: 'workspace',
      adapter: row.adapter,
      settings: maskSecrets(stored, storedSecrets(workspaceId, row)),
      version: row.version,
      updatedAt: row.updatedAt.toISOString(),
    };
  };

  r.get(
    '/workspace/channels',
    {
      schema: {
        tags,
        summary: 'How each channel is delivered',
        response: { 200: z.object({ channels: z.array(channelBody) }) },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const rows = new Map((await listChannelSettings(db, workspaceId)).map((row) => [row.channel, row]));
      return { channels: channelNames.map((channel) => toBody(workspaceId, channel, rows.get(channel))) };
    },
  );

  r.get(
    '/workspace/channels/:channel',
    {
      schema: {
        tags,
        summary: 'How one channel is delivered',
        params: channelParams,
        response: { 200: channelBody },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const { channel } = request.params;
      return toBody(workspaceId, channel, await findChannelSettings(db, workspaceId, channel));
    },
  );

  r.put(
    '/workspace/channels/:channel',
    {
      schema: {
        tags,
        summary: 'Choose the adapter that delivers a channel, and its settings',
        description:
          'Credentials (auth.token, auth.password, auth.value, password, signingSecret, identitySecret) are stored encrypted and answered masked; a PUT that leaves one out, or sends the masked value back, keeps the stored one. Invalid settings answer 422 naming the field. Delivery picks the change up within 5 seconds.',
        params: channelParams,
        body: channelSettingsSchema,
        response: { 200: channelBody },
      },
      // Checked again in the handler: settings that do not fit answer 422 naming the field.
      attachValidation: true,
      preHandler: requireSettingsRole,
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const params = channelParams.safeParse(request.params);
      if (!params.success) {
        const issues = params.error.issues.map((issue) => ({
          path: ['params', ...issue.path].join('.'),
          message: issue.message,
        }));
        throw new AppError('validation_failed', formatIssues(issues), issues);
      }
      const { channel } = params.data;
      const parsed = channelSettingsSchema.safeParse(request.body);
      if (!parsed.success) {
        throw unprocessable(
          parsed.error.issues.map((issue) => ({
            path: ['body', ...issue.path].join('.'),
            message: issue.message,
          })),
        );
      }
      const row = await findChannelSettings(db, workspaceId, channel);
      const previous = row && row.adapter === parsed.data.adapter ? storedSecrets(workspaceId, row) : {};
      const settings = keepStoredSecrets(parsed.data, previous);
      const issues = validateChannelSettings(channel, settings, { allowPrivate: config.webhookAllowPrivate });
      if (issues.length > 0) {
        throw unprocessable(issues.map((issue) => ({ path: `body.${issue.path}`, message: issue.message })));
      }
      return toBody(workspaceId, channel, await save(db, workspaceId, channel, settings));
    },
  );

  async function save(db: Db, workspaceId: string, channel: ChannelName, settings: ChannelSettings) {
    const { config: clear, secrets } = splitSecrets(settings);
    const encrypted =
      Object.keys(secrets).length > 0
        ? cipher.encrypt(JSON.stringify(secrets), aad(workspaceId, channel))
        : null;
    return saveChannelSettings(db, workspaceId, {
      channel,
      adapter: settings.adapter,
      config: clear,
      secrets: encrypted,
      keyId: cipher.keyId,
    });
  }

  r.delete(
    '/workspace/channels/:channel',
    {
      schema: {
        tags,
        summary: 'Forget a channel’s settings: it goes back to the start-up configuration',
        params: channelParams,
        response: { 204: z.null() },
      },
      preHandler: requireSettingsRole,
    },
    async (request, reply) => {
      const deleted = await deleteChannelSettings(db, workspaceOf(request), request.params.channel);
      if (!deleted) throw notFound(`the ${request.params.channel} channel has no settings`);
      return reply.status(204).send(null);
    },
  );
}

function unprocessable(issues: FieldIssue[]): AppError {
  return new AppError('unprocessable', formatIssues(issues), issues);
}

/** Delivery credentials are for admins and engineers (and admin tokens). */
async function requireSettingsRole(request: FastifyRequest): Promise<void> {
  const principal = requirePrincipal(request);
  if (principal.kind === 'member' && principal.role !== 'admin' && principal.role !== 'engineer') {
    throw new AppError(
      'forbidden',
      `channel settings are changed by admins and engineers, not ${principal.role}s`,
    );
  }
}
