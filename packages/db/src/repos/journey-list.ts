import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { JourneyStatus } from '../schema.js';
import type { JourneyListFilter } from './journeys.js';

/** One row of the journeys list: the journey, who last edited it and its recent entries. */
export interface JourneyListRow {
  id: string;
  name: string;
  status: JourneyStatus;
  live_version: number | null;
  updated_at: Date;
  /** The email of the member who last saved or published it; null for an API token. */
  updated_by_email: string | null;
  /** Enrollments started in the last seven days, any version. */
  entered_7d: number;
}

/**
 * The journeys list, most recently edited first; archived journeys only when asked for by
 * status. Recent entries come from one grouped query over the page's journeys.
 */
export async function listJourneySummaries(
  db: DbOrTrx,
  workspaceId: string,
  filter: JourneyListFilter,
): Promise<JourneyListRow[]> {
  let query = db
    .selectFrom('journeys as j')
    .leftJoin('members as m', (join) =>
      join.onRef('m.workspace_id', '=', 'j.workspace_id').onRef('m.id', '=', 'j.updated_by'),
    )
    .select(['j.id', 'j.name', 'j.status', 'j.live_version', 'j.updated_at', 'm.email as updated_by_email'])
    .where('j.workspace_id', '=', workspaceId);
  if (filter.status) query = query.where('j.status', '=', filter.status);
  else query = query.where('j.status', '!=', 'archived');
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where('j.name', 'ilike', pattern);
  }
  const journeys = await query
    .orderBy('j.updated_at', 'desc')
    .orderBy('j.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  if (journeys.length === 0) return [];
  const counts = await db
    .selectFrom('enrollments')
    .select(['journey_id', sql<number>`count(*)::int`.as('entered')])
    .where('workspace_id', '=', workspaceId)
    .where(
      'journey_id',
      'in',
      journeys.map((j) => j.id),
    )
    .where('entered_at', '>=', sql<Date>`now() - interval '7 days'`)
    .groupBy('journey_id')
    .execute();
  const entered = new Map(counts.map((c) => [c.journey_id, c.entered]));
  return journeys.map((j) => ({ ...j, entered_7d: entered.get(j.id) ?? 0 }));
}
