import { defineNodeType } from '@touchline/journey';
import { z } from 'zod';
import { sendPorts } from '../shared/template-send.js';

export const sendEmailConfigSchema = z.strictObject({
  templateId: z
    .string()
    .min(1, { error: 'choose a template' })
    .meta({ title: 'Template', widget: 'template' }),
  /** Transactional email (a receipt, a password reset) skips marketing consent; use sparingly. */
  transactional: z.boolean().default(false).meta({
    title: 'Transactional',
    description: 'Receipts and password resets: sent without marketing consent. Use sparingly.',
  }),
});

export type SendEmailConfig = z.infer<typeof sendEmailConfigSchema>;

/** Sends an email from an MJML + Liquid template; leaves by `suppressed` when a guard stops it. */
export const sendEmailNodeType = defineNodeType({
  type: 'send.email',
  version: 1,
  category: 'action',
  label: 'Send email',
  description: 'Sends an email rendered from a template; guarded sends leave by "suppressed".',
  configSchema: sendEmailConfigSchema,
  defaults: { templateId: '', transactional: false },
  ports: sendPorts,
  summary: (config) => `Send email ${config.templateId}${config.transactional ? ' (transactional)' : ''}`,
  compile(config, ctx) {
    ctx.checkTemplate(config.templateId, 'templateId');
    return { defaultPort: 'out' };
  },
});
