import { defineNodeType, identifierSchema, type RuleSpec } from '@touchline/journey';
import { z } from 'zod';
import { oneLine } from '../shared/describe.js';

export const splitRandomConfigSchema = z.strictObject({
  branches: z
    .array(
      z.strictObject({
        port: identifierSchema.meta({ title: 'Port' }),
        /** Whole percent of profiles sent this way. */
        weight: z
          .int()
          .min(1, { error: 'weight must be at least 1 (%)' })
          .max(100)
          .meta({ title: 'Weight', description: 'Percent of people; the weights add up to 100.' }),
        /** Marks the control group that receives nothing; analytics measure uplift against it. */
        holdout: z
          .boolean()
          .default(false)
          .meta({ title: 'Holdout', description: 'A control group that receives nothing.' }),
      }),
    )
    .min(2, { error: 'a random split needs at least two branches' })
    .check((ctx) => {
      const branches = ctx.value;
      const total = branches.reduce((sum, branch) => sum + branch.weight, 0);
      if (total !== 100) {
        ctx.issues.push({
          code: 'custom',
          input: branches,
          message: `weights must add up to 100 (they add up to ${total})`,
        });
      }
      if (new Set(branches.map((branch) => branch.port)).size !== branches.length) {
        ctx.issues.push({ code: 'custom', input: branches, message: 'each branch needs its own port name' });
      }
    }),
});

export type SplitRandomConfig = z.infer<typeof splitRandomConfigSchema>;

/**
 * Branch `i` takes profiles whose `bucket` (uniform in [0, 1), stable per enrollment and node) is
 * below the cumulative share of branches 0…i; the last branch is the default, so rounding can
 * never leave a profile without a branch.
 */
export function randomSplitRules(config: SplitRandomConfig): RuleSpec[] {
  let cumulative = 0;
  return config.branches.slice(0, -1).map((branch) => {
    cumulative += branch.weight;
    return {
      port: branch.port,
      conditions: { all: [{ fact: 'bucket', operator: 'lessThan', value: cumulative / 100 }] },
    };
  });
}

/** A/B(/n) test: sends each profile down one branch at random, by weight. */
export const splitRandomNodeType = defineNodeType({
  type: 'split.random',
  version: 1,
  category: 'split',
  label: 'Random split',
  description:
    'A/B test: each branch gets its percentage of profiles at random; a holdout branch usually exits.',
  configSchema: splitRandomConfigSchema,
  defaults: {
    branches: [
      { port: 'a', weight: 50 },
      { port: 'b', weight: 50 },
    ],
  },
  ports: (config) => config.branches.map((branch) => branch.port),
  portsNote: 'one port per branch',
  summary: (config) =>
    oneLine(
      `Random split ${config.branches.map((branch) => `${branch.port} ${branch.weight}%${branch.holdout ? ' (holdout)' : ''}`).join(' / ')}`,
    ),
  compile: (config) => ({ rules: randomSplitRules(config), defaultPort: config.branches.at(-1)!.port }),
});
