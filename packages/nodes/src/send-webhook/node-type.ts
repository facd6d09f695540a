import { defineNodeType, identifierSchema } from '@touchline/journey';
import { z } from 'zod';
import { sendPorts } from '../shared/template-send.js';

export const sendWebhookConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }).meta({ title: 'URL' }),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST').meta({ title: 'Method' }),
  /** A Liquid template string, or JSON whose string values are Liquid templates. */
  body: z
    .union([z.string().meta({ title: 'Text' }), z.record(z.string(), z.unknown()).meta({ title: 'JSON' })])
    .optional()
    .meta({ title: 'Body', description: 'Liquid text, or JSON whose strings are Liquid.' }),
  /** Stores the JSON response under `journey.variables.<name>` for later nodes. */
  saveResponseAs: identifierSchema
    .optional()
    .meta({ title: 'Save response as', description: 'Later steps read it as journey.variables.<name>.' }),
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
