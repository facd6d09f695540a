import { type Condition, interpretCondition, parseDuration } from '@touchline/journey';
import type pg from 'pg';
import type { ProfileFact } from './facts.js';
import type { DynamicFacts } from './transitions.js';

/**
 * The dynamic facts (`eventCount`, `lastEvent`, `inSegment`) of one profile, read from its
 * stored history in the runtime's own transaction. json-rules-engine caches each result per
 * params within a run, and only rules that name a dynamic fact ever call one.
 */
export function historyFacts(
  client: pg.PoolClient,
  workspaceId: string,
  profileId: string,
  profile: () => ProfileFact,
  now: Date,
  segments: (segmentId: string) => Promise<unknown>,
): DynamicFacts {
  const eventCount = async (params: { name: string; where?: Record<string, unknown>; within?: string }) => {
    const since = params.within ? new Date(now.getTime() - parseDuration(params.within)) : null;
    const result = await client.query<{ n: string }>({
      name: 'tl_rt_event_count',
      text: `select count(*) as n from events
              where workspace_id = $1 and profile_id = $2 and event = $3
                and ($4::timestamptz is null or timestamp >= $4) and properties @> $5::jsonb`,
      values: [workspaceId, profileId, params.name, since, JSON.stringify(containment(params.where))],
    });
    return Number(result.rows[0]?.n ?? 0);
  };
  const lastEvent = async (params: { name: string }) => {
    const result = await client.query<{ properties: unknown; timestamp: Date; message_id: string }>({
      name: 'tl_rt_last_event',
      text: `select properties, timestamp, message_id from events
              where workspace_id = $1 and profile_id = $2 and event = $3
              order by timestamp desc limit 1`,
      values: [workspaceId, profileId, params.name],
    });
    const row = result.rows[0];
    return row
      ? {
          event: params.name,
          properties: row.properties,
          timestamp: row.timestamp.toISOString(),
          messageId: row.message_id,
        }
      : null;
  };
  const dynamic: DynamicFacts = {
    eventCount,
    lastEvent,
    inSegment: async ({ segmentId }) => {
      const definition = (await segments(segmentId)) as
        | { kind: 'static'; userIds: string[] }
        | { kind: 'conditions'; conditions: Condition }
        | undefined;
      if (!definition) return false;
      const fact = profile();
      if (definition.kind === 'static')
        return fact.userId !== null && definition.userIds.includes(fact.userId);
      return interpretCondition(
        definition.conditions,
        { profile: fact, eventCount, lastEvent },
        now.getTime(),
      );
    },
  };
  return dynamic;
}

/** `where: { "properties.category": "shoes" }` → `{ category: "shoes" }` for a jsonb containment test. */
function containment(where: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(where ?? {})) {
    const parts = path.replace(/^properties\./, '').split('.');
    let target = out;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) target[part] = value;
      else {
        target[part] ??= {};
        target = target[part] as Record<string, unknown>;
      }
    });
  }
  return out;
}
