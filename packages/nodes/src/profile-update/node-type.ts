import { defineNodeType } from '@touchline/journey';
import { z } from 'zod';
import { oneLine } from '../shared/describe.js';

const traitValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
const tagSchema = z.string().min(1, { error: 'a tag must not be empty' });

export const profileUpdateConfigSchema = z
  .strictObject({
    /** Traits to set; `null` clears one. */
    set: z
      .record(z.string().min(1), traitValueSchema)
      .optional()
      .meta({ title: 'Set traits', description: 'An empty value (null) clears the trait.' }),
    addTags: z.array(tagSchema).optional().meta({ title: 'Add tags' }),
    removeTags: z.array(tagSchema).optional().meta({ title: 'Remove tags' }),
  })
  .refine(
    (config) =>
      Object.keys(config.set ?? {}).length +
        (config.addTags?.length ?? 0) +
        (config.removeTags?.length ?? 0) >
      0,
    { error: 'set a trait or add or remove a tag' },
  );

export type ProfileUpdateConfig = z.infer<typeof profileUpdateConfigSchema>;

/** Sets traits and adds or removes tags on the profile. */
export const profileUpdateNodeType = defineNodeType({
  type: 'profile.update',
  version: 1,
  category: 'action',
  label: 'Update profile',
  configSchema: profileUpdateConfigSchema,
  defaults: { addTags: ['journey-entered'] },
  ports: ['out'],
  summary: (config) =>
    oneLine(
      [
        ...Object.keys(config.set ?? {}).map((trait) => `set ${trait}`),
        ...(config.addTags ?? []).map((tag) => `tag ${tag}`),
        ...(config.removeTags ?? []).map((tag) => `untag ${tag}`),
      ].join(', '),
    ),
  compile: () => ({ defaultPort: 'out' }),
});
