import { z } from 'zod';
import type { ChannelName } from '../adapter.js';

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, { error: 'must be an HTTP header name' });
/** A credential: stored encrypted, answered masked; left out of a PUT, the stored one is kept. */
const secret = z.string().min(1, { error: 'must not be empty' }).max(10_000);

const sandbox = z.strictObject({ adapter: z.literal('sandbox') });

const smtp = z.strictObject({
  adapter: z.literal('smtp'),
  host: z.string().trim().min(1, { error: 'is required' }).max(255),
  port: z.int().min(1).max(65535).default(587),
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  username: z.string().max(500).optional(),
  password: secret.optional(),
  from: z.string().trim().min(3, { error: 'is required, e.g. Shop <news@shop.example>' }).max(500),
  unsubscribeMailto: z.email().optional(),
});

const auth = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('bearer'), token: secret.optional() }),
  z.strictObject({
    type: z.literal('basic'),
    username: z.string().min(1).max(500),
    password: secret.optional(),
  }),
  z.strictObject({ type: z.literal('header'), name: headerName, value: secret.optional() }),
]);

const http = z.strictObject({
  adapter: z.literal('http'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  auth: auth.default({ type: 'none' }),
  /** Further headers; returned as they are, so credentials belong in `auth`. */
  headers: z.record(headerName, z.string().max(2000)).optional(),
  /** The provider's JSON body with Liquid in its strings; each channel has a default. */
  body: z.record(z.string(), z.json()).optional(),
  idempotencyHeader: headerName.default('Idempotency-Key'),
  providerIdPath: z
    .string()
    .regex(/^(\$\.)?[\w-]+(\.[\w-]+)*$/, { error: 'must be a dot path, e.g. id or messages.0.id' })
    .default('id'),
  timeoutMs: z.int().min(100).max(60_000).default(10_000),
  /** A self-hosted gateway on a private or loopback address (refused by default). */
  allowPrivate: z.boolean().default(false),
  /**
   * The provider deduplicates by the idempotency key: a message a crash left `sending` is sent
   * again (exactly once) instead of being failed (at most once).
   */
  idempotent: z.boolean().default(false),
});

const webhook = z.strictObject({
  adapter: z.literal('webhook'),
  /** Signs this workspace's webhooks instead of the installation's tracking secret. */
  signingSecret: secret.optional(),
  allowPrivate: z.boolean().default(false),
});

const inapp = z.strictObject({
  adapter: z.literal('inapp'),
  /**
   * Identity verification: `GET /v1/inapp` then needs `X-Touchline-User-Hash`, the hex
   * HMAC-SHA256 of the user id under `identitySecret`, computed by the app's own server.
   */
  requireUserHash: z.boolean().default(false),
  identitySecret: secret.optional(),
});

/**
 * One channel's delivery settings: the adapter and its options. One schema for the API (PUT
 * body, OpenAPI), the stored row and the worker that builds the adapter from it.
 */
export const channelSettingsSchema = z.discriminatedUnion('adapter', [sandbox, smtp, http, webhook, inapp]);
export type ChannelSettings = z.infer<typeof channelSettingsSchema>;
export type ChannelAdapterKind = ChannelSettings['adapter'];

/** The adapters each channel can be set to. */
export const adaptersOfChannel: Readonly<Record<ChannelName, readonly ChannelAdapterKind[]>> = {
  email: ['sandbox', 'smtp'],
  sms: ['sandbox', 'http'],
  push: ['sandbox', 'http'],
  whatsapp: ['sandbox', 'http'],
  inapp: ['inapp', 'sandbox'],
  webhook: ['webhook', 'sandbox'],
};

export const channelNames = Object.keys(adaptersOfChannel) as ChannelName[];

/** The credential fields these settings have (dot paths), by their adapter and auth type. */
export function secretFieldsOf(settings: ChannelSettings): string[] {
  switch (settings.adapter) {
    case 'http':
      return settings.auth.type === 'bearer'
        ? ['auth.token']
        : settings.auth.type === 'basic'
          ? ['auth.password']
          : settings.auth.type === 'header'
            ? ['auth.value']
            : [];
    case 'smtp':
      return ['password'];
    case 'webhook':
      return ['signingSecret'];
    case 'inapp':
      return ['identitySecret'];
    case 'sandbox':
      return [];
  }
}

/** Credential fields these settings cannot work without. */
export function requiredSecretsOf(settings: ChannelSettings): string[] {
  if (settings.adapter === 'http') return secretFieldsOf(settings);
  if (settings.adapter === 'inapp' && settings.requireUserHash) return ['identitySecret'];
  return [];
}
