import { defineNodeType, identifierSchema } from '@touchline/journey';
import { z } from 'zod';
import { sendPorts } from '../shared/template-send.js';

export const sendWebhookConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  /** A Liquid template string, or JSON whose string values are Liquid templates. */
  body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  /** Stores the JSON response under `journey.variables.<name>` for later nodes. */
  saveResponseAs: identifierSchema.optional(),
});

export type SendWebhookConfig = z.infer<typeof sendWebhookConfigSchema>;

/** Calls an HTTP endpoint; leaves by `suppressed` when a guard stops it. */
export const sendWebhookNodeType = defineNodeType({
  type: 'send.webhook',
  version: 1,
  category: 'action',
  label: 'Call a webhook',
  configSchema: sendWebhookConfigSchema,
  defaults: { url: 'https://example.com/hook', method: 'POST' },
  ports: sendPorts,
  summary: (config) => `${config.method} ${config.url}`,
  compile: () => ({ defaultPort: 'out' }),
});
