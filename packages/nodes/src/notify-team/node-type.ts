import { defineNodeType } from '@touchline/journey';
import { z } from 'zod';
import { oneLine } from '../shared/describe.js';

export const notifyTeamConfigSchema = z.strictObject({
  /** Where the team hears about it: a Slack channel, an email address, a webhook name. */
  channel: z
    .string()
    .min(1, { error: 'choose where to notify' })
    .meta({ title: 'Notify', description: 'A Slack channel, an email address or a webhook name.' }),
  /** Liquid text; sees `profile`, `event` and `journey`. */
  message: z.string().min(1, { error: 'write the message' }).meta({ title: 'Message', widget: 'multiline' }),
});

export type NotifyTeamConfig = z.infer<typeof notifyTeamConfigSchema>;

/** Tells people on the team about this profile (a VIP churn risk, a large cart). */
export const notifyTeamNodeType = defineNodeType({
  type: 'notify.team',
  version: 1,
  category: 'action',
  label: 'Notify team',
  configSchema: notifyTeamConfigSchema,
  defaults: { channel: '', message: '{{ profile.traits.email }} needs attention' },
  ports: ['out'],
  summary: (config) => oneLine(`Notify ${config.channel}: ${config.message}`),
  compile: () => ({ defaultPort: 'out' }),
});
