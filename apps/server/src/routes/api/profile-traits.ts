import type { Db } from '@touchline/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { pickerLimit } from './paging.js';

/** The traits of this many profiles are read: a picker needs "which keys, roughly how common". */
const TRAIT_SAMPLE = 1000;

const traitTypes = ['string', 'number', 'boolean', 'array', 'object'] as const;
export type TraitType = (typeof traitTypes)[number];

export interface TraitKeyRow {
  key: string;
  type: TraitType;
  count: number;
}

export interface TraitKeySample {
  /** How many profiles were read. */
  sampled: number;
  /** Whether they are every (unmerged) profile of the workspace. */
  complete: boolean;
  traits: TraitKeyRow[];
}

/**
 * The top-level trait keys of a workspace's profiles, for the editor's trait picker. It reads the
 * first 1,000 unmerged profiles in `profiles_pkey (workspace_id, id)` order: one index range scan
 * that stops there, whatever the number of profiles. Profile ids are random (v4) uuids, so those
 * are a uniform sample rather than the oldest or newest. (Sampling the most recently updated
 * would need an index on `updated_at`, which every event's profile update writes: those updates
 * are HOT today and would no longer be.) Per key: how many sampled profiles have it (JSON nulls
 * not counted) and its most frequent JSON type.
 */
export async function sampleTraitKeys(db: Db, workspaceId: string, limit: number): Promise<TraitKeySample> {
  const result = await traitKeysQuery(workspaceId, limit).execute(db);
  return result.rows[0] ?? { sampled: 0, complete: true, traits: [] };
}

/** The statement `sampleTraitKeys` runs (apart, so that its plan can be read). */
export function traitKeysQuery(workspaceId: string, limit: number) {
  return sql<TraitKeySample>`
    with fetched as materialized (
      -- One more than the sample, to tell whether the sample is the whole workspace.
      select p.id, p.traits from profiles p
       where p.workspace_id = ${workspaceId} and p.merged_into is null
       order by p.id
       limit ${TRAIT_SAMPLE + 1}
    ),
    sample as (select traits from fetched order by id limit ${TRAIT_SAMPLE}),
    seen as (
      select t.key, jsonb_typeof(t.value) as type, count(*)::int as n
        from sample
        cross join lateral jsonb_each(
          case when jsonb_typeof(sample.traits) = 'object' then sample.traits else '{}'::jsonb end
        ) as t (key, value)
       where jsonb_typeof(t.value) <> 'null'
       group by t.key, jsonb_typeof(t.value)
    ),
    keys as (
      -- A key holds one type per profile, so its profiles are the sum over its types.
      select key, sum(n)::int as count, (array_agg(type order by n desc, type))[1] as type
        from seen
       group by key
       order by count desc, key
       limit ${limit}
    )
    select (select count(*)::int from sample) as sampled,
           (select count(*) from fetched) <= ${TRAIT_SAMPLE} as complete,
           coalesce((select jsonb_agg(jsonb_build_object('key', key, 'type', type, 'count', count)
                                      order by count desc, key)
                       from keys), '[]'::jsonb) as traits`;
}

const traitKey = z.object({
  key: z.string().describe('a top-level key of `traits` (compare it as the path `traits.<key>`)'),
  type: z
    .enum(traitTypes)
    .describe('the JSON type of its value on most of the sampled profiles that have it'),
  count: z.number().int().describe('how many of the sampled profiles have it (not null)'),
});

/** `GET /api/traits`: the trait keys the editor's condition builder offers, most common first. */
export async function profileTraitRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/traits',
    {
      schema: {
        tags: ['profiles'],
        summary: "Trait keys on the workspace's profiles, with their type and how many profiles have them",
        description: `Read from a sample of at most ${TRAIT_SAMPLE} profiles (merged profiles left out); \`complete\` says whether the sample is every profile.`,
        querystring: z.object({
          limit: pickerLimit().describe('at most this many keys, the most common'),
        }),
        response: {
          200: z.object({
            sampled: z.number().int().describe('how many profiles were read'),
            complete: z.boolean().describe("whether those are all of the workspace's profiles"),
            traits: z.array(traitKey),
          }),
        },
      },
    },
    async (request) =>
      sampleTraitKeys(services.db, requirePrincipal(request).workspaceId, request.query.limit),
  );
}
