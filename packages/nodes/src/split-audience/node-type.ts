import { conditionGroupSchema, defineNodeType, identifierSchema } from '@touchline/journey';
import { z } from 'zod';
import { oneLine } from '../shared/describe.js';

const ELSE_PORT = 'else';

export const splitAudienceConfigSchema = z.strictObject({
  /** Checked in order; the first branch whose conditions hold wins, otherwise `else`. */
  branches: z
    .array(
      z.strictObject({
        port: identifierSchema
          .refine((port) => port !== ELSE_PORT, {
            error: '"else" is reserved for the fallback',
          })
          .meta({ title: 'Port', description: 'The name of the way out, e.g. vip.' }),
        conditions: conditionGroupSchema.meta({ title: 'Conditions', widget: 'conditions' }),
      }),
    )
    .min(1, { error: 'add at least one branch' })
    .refine((branches) => new Set(branches.map((branch) => branch.port)).size === branches.length, {
      error: 'each branch needs its own port name',
    })
    .meta({
      title: 'Branches',
      description: 'Checked in order: the first that matches wins, otherwise "else".',
    }),
});

export type SplitAudienceConfig = z.infer<typeof splitAudienceConfigSchema>;

/** Sends each profile down the first branch whose conditions hold, else `else`. */
export const splitAudienceNodeType = defineNodeType({
  type: 'split.audience',
  version: 1,
  category: 'split',
  label: 'Audience split',
  description: 'Ordered branches with conditions; the first that matches wins, the rest go to "else".',
  configSchema: splitAudienceConfigSchema,
  defaults: {
    branches: [
      {
        port: 'vip',
        conditions: { all: [{ fact: 'profile', path: 'traits.vip', operator: 'equal', value: true }] },
      },
    ],
  },
  ports: (config) => [...config.branches.map((branch) => branch.port), ELSE_PORT],
  portsNote: 'one port per branch, in order, then "else"',
  summary: (config) =>
    oneLine(`Split into ${config.branches.map((branch) => branch.port).join(', ')} or else`),
  compile(config, ctx) {
    config.branches.forEach((branch, index) => {
      ctx.checkConditions(branch.conditions, `branches.${index}.conditions`);
    });
    return {
      rules: config.branches.map((branch) => ({ port: branch.port, conditions: branch.conditions })),
      defaultPort: ELSE_PORT,
    };
  },
});
