import { defineNodeType, type NodeType } from '@touchline/journey';
import { z } from 'zod';

/** Config of the template-based sends (SMS, push, WhatsApp, in-app). */
export const templateSendConfigSchema = z.strictObject({
  templateId: z
    .string()
    .min(1, { error: 'choose a template' })
    .meta({ title: 'Template', widget: 'template' }),
});

export type TemplateSendConfig = z.infer<typeof templateSendConfigSchema>;

/** Every send leaves by `out`, or by `suppressed` when a guard (consent, caps, quiet hours) stops it. */
export const sendPorts = ['out', 'suppressed'] as const;

/**
 * The shared shape of the template sends; each channel's folder declares its own type with it,
 * so the five stay identical where they should and can diverge by editing one folder.
 */
export function defineTemplateSend(channel: { type: string; label: string; noun: string }): NodeType {
  return defineNodeType({
    type: channel.type,
    version: 1,
    category: 'action',
    label: channel.label,
    description: `Sends ${/^[aeiou]/i.test(channel.noun) ? 'an' : 'a'} ${channel.noun} rendered from a template; guarded sends leave by "suppressed".`,
    configSchema: templateSendConfigSchema,
    defaults: { templateId: '' },
    ports: sendPorts,
    summary: (config) => `Send ${channel.noun} ${config.templateId}`,
    compile(config, ctx) {
      ctx.checkTemplate(config.templateId, 'templateId');
      return { defaultPort: 'out' };
    },
  });
}
