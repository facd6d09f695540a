import type { Db } from '@touchline/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { pickerLimit } from './paging.js';

/** How far back `count` looks, and where it stops counting: a picker needs "often", not an exact total. */
const COUNT_WINDOW = '30 days';
const COUNT_CAP = 1000;
/** Property keys are read from this many of an event's latest occurrences. */
const PROPERTY_SAMPLE = 20;
const MAX_KEYS = 100;

export interface EventNameRow {
  name: string;
  count: number;
  last_seen_at: Date;
  properties: string[];
}

/**
 * The event names a workspace has tracked, for the editor's event pickers. Every step is an
 * index probe on `events_name_idx (workspace_id, event, timestamp desc)`: the distinct names by
 * a skip scan (one probe per name, the first `limit` names by name), then per name its latest
 * timestamp, a count over the last 30 days that stops at 1,000, and the keys of its 20 latest
 * events' properties. The cost grows with the number of names, not of events.
 */
export async function listEventNames(db: Db, workspaceId: string, limit: number): Promise<EventNameRow[]> {
  const result = await sql<EventNameRow>`
    with recursive names (event) as (
      (select event from events
        where workspace_id = ${workspaceId} and event is not null
        order by event limit 1)
      union all
      (select (select e.event from events e
                where e.workspace_id = ${workspaceId} and e.event is not null and e.event > names.event
                order by e.event limit 1)
         from names where names.event is not null)
    ),
    chosen as (select event from names where event is not null limit ${limit})
    select n.event as name,
      (select count(*)::int from (
          select 1 from events c
           where c.workspace_id = ${workspaceId} and c.event is not null and c.event = n.event
             and c.timestamp >= now() - ${COUNT_WINDOW}::interval
           -- Ordered like the index, so the scan stops at the cap instead of reading every match.
           order by c.timestamp desc
           limit ${COUNT_CAP}) capped) as count,
      (select l.timestamp from events l
        where l.workspace_id = ${workspaceId} and l.event is not null and l.event = n.event
        order by l.timestamp desc limit 1) as last_seen_at,
      coalesce((
        select array_agg(key order by key) from (
          select distinct k.key from (
              select p.properties from events p
               where p.workspace_id = ${workspaceId} and p.event is not null and p.event = n.event
               order by p.timestamp desc limit ${PROPERTY_SAMPLE}) sample
            cross join lateral jsonb_object_keys(
              case when jsonb_typeof(sample.properties) = 'object' then sample.properties else '{}'::jsonb end
            ) as k (key)
           order by k.key limit ${MAX_KEYS}) keys
      ), '{}') as properties
    from chosen n
    order by count desc, last_seen_at desc, name`.execute(db);
  return result.rows;
}

const eventName = z.object({
  name: z.string(),
  count: z.number().int().describe(`occurrences in the last ${COUNT_WINDOW}, counted up to ${COUNT_CAP}`),
  lastSeenAt: z.string().describe('ISO 8601: the latest occurrence (its timestamp)'),
  properties: z
    .array(z.string())
    .describe(`top-level property keys of its ${PROPERTY_SAMPLE} latest occurrences`),
});

/** `GET /api/events/names`: the names the editor's event pickers offer, most frequent first. */
export async function eventNameRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/events/names',
    {
      schema: {
        tags: ['events'],
        summary: 'Event names tracked in the workspace, with recent counts and property keys',
        querystring: z.object({
          limit: pickerLimit().describe('at most this many names (the first by name, then sorted by count)'),
        }),
        response: { 200: z.object({ events: z.array(eventName) }) },
      },
    },
    async (request) => {
      const rows = await listEventNames(
        services.db,
        requirePrincipal(request).workspaceId,
        request.query.limit,
      );
      return {
        events: rows.map((row) => ({
          name: row.name,
          count: row.count,
          lastSeenAt: row.last_seen_at.toISOString(),
          properties: row.properties,
        })),
      };
    },
  );
}
