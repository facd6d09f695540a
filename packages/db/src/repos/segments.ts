import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';

export interface SegmentRow {
  id: string;
  name: string;
  definition: unknown;
  updated_at: Date;
}

export async function listSegments(db: DbOrTrx, workspaceId: string): Promise<SegmentRow[]> {
  return db
    .selectFrom('segments')
    .select(['id', 'name', 'definition', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .execute();
}

export async function findSegment(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
): Promise<SegmentRow | undefined> {
  return db
    .selectFrom('segments')
    .select(['id', 'name', 'definition', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertSegment(
  db: DbOrTrx,
  segment: { workspaceId: string; name: string; definition: unknown },
): Promise<SegmentRow> {
  return db
    .insertInto('segments')
    .values({
      workspace_id: segment.workspaceId,
      name: segment.name,
      definition: JSON.stringify(segment.definition),
    })
    .returning(['id', 'name', 'definition', 'updated_at'])
    .executeTakeFirstOrThrow();
}

export async function updateSegment(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
  changes: { name?: string; definition?: unknown },
): Promise<SegmentRow | undefined> {
  return db
    .updateTable('segments')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.definition !== undefined ? { definition: JSON.stringify(changes.definition) } : {}),
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(['id', 'name', 'definition', 'updated_at'])
    .executeTakeFirst();
}
