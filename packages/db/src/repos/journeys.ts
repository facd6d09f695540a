import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Journey, JourneyStatus, JourneyVersion } from '../schema.js';

export interface JourneyListFilter {
  status?: JourneyStatus;
  /** Case-insensitive substring of the name. */
  search?: string;
  limit: number;
  offset: number;
}

export async function listJourneys(
  db: DbOrTrx,
  workspaceId: string,
  filter: JourneyListFilter,
): Promise<Journey[]> {
  let query = db.selectFrom('journeys').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.status) query = query.where('status', '=', filter.status);
  else query = query.where('status', '!=', 'archived');
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where('name', 'ilike', pattern);
  }
  return query
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

/** `forUpdate` locks the row for the rest of the transaction (publishing takes the next version). */
export async function findJourney(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Journey | undefined> {
  const query = db
    .selectFrom('journeys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export async function insertJourney(
  db: DbOrTrx,
  journey: { workspaceId: string; name: string; draft: unknown; memberId: string | null },
): Promise<Journey> {
  return db
    .insertInto('journeys')
    .values({
      workspace_id: journey.workspaceId,
      name: journey.name,
      draft: JSON.stringify(journey.draft),
      created_by: journey.memberId,
      updated_by: journey.memberId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Saves the draft and/or the name. A new draft bumps `draft_revision`; with `baseRevision` it is
 * saved only while that is still the current revision, compared in the UPDATE itself so that two
 * racing saves cannot both pass. Undefined when no row matched: not found, or (with a
 * `baseRevision`) someone else saved first; `draftAuthor` tells which.
 */
export async function updateJourneyDraft(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
  changes: { name?: string; draft?: unknown; baseRevision?: number; memberId: string | null },
): Promise<Journey | undefined> {
  let query = db
    .updateTable('journeys')
    .set((eb) => ({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.draft !== undefined
        ? { draft: JSON.stringify(changes.draft), draft_revision: eb('draft_revision', '+', 1) }
        : {}),
      updated_by: changes.memberId,
      updated_at: sql`now()`,
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  if (changes.draft !== undefined && changes.baseRevision !== undefined)
    query = query.where('draft_revision', '=', changes.baseRevision);
  return query.returningAll().executeTakeFirst();
}

/** The draft's current revision and who last saved the journey (their email; null for an API token). */
export interface DraftAuthor {
  draft_revision: number;
  updated_at: Date;
  updated_by_email: string | null;
}

export async function draftAuthor(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
): Promise<DraftAuthor | undefined> {
  return db
    .selectFrom('journeys as j')
    .leftJoin('members as m', (join) =>
      join.onRef('m.workspace_id', '=', 'j.workspace_id').onRef('m.id', '=', 'j.updated_by'),
    )
    .select(['j.draft_revision', 'j.updated_at', 'm.email as updated_by_email'])
    .where('j.workspace_id', '=', workspaceId)
    .where('j.id', '=', id)
    .executeTakeFirst();
}

export async function setJourneyStatus(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
  status: JourneyStatus,
  liveVersion?: number,
  /** Who made the change (publishing is an edit); left as it was when undefined. */
  memberId?: string | null,
): Promise<Journey | undefined> {
  return db
    .updateTable('journeys')
    .set({
      status,
      ...(liveVersion !== undefined ? { live_version: liveVersion } : {}),
      ...(memberId !== undefined ? { updated_by: memberId } : {}),
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteJourney(db: DbOrTrx, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('journeys').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function latestJourneyVersion(
  db: DbOrTrx,
  workspaceId: string,
  journeyId: string,
): Promise<number> {
  const row = await db
    .selectFrom('journey_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

export async function insertJourneyVersion(
  db: DbOrTrx,
  version: {
    workspaceId: string;
    journeyId: string;
    version: number;
    graph: unknown;
    compiled: unknown;
    memberId: string | null;
  },
): Promise<JourneyVersion> {
  return db
    .insertInto('journey_versions')
    .values({
      workspace_id: version.workspaceId,
      journey_id: version.journeyId,
      version: version.version,
      graph: JSON.stringify(version.graph),
      compiled: JSON.stringify(version.compiled),
      published_by: version.memberId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listJourneyVersions(
  db: DbOrTrx,
  workspaceId: string,
  journeyId: string,
): Promise<Array<Pick<JourneyVersion, 'version' | 'published_at' | 'published_by'>>> {
  return db
    .selectFrom('journey_versions')
    .select(['version', 'published_at', 'published_by'])
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .orderBy('version', 'desc')
    .execute();
}

export async function findJourneyVersion(
  db: DbOrTrx,
  workspaceId: string,
  journeyId: string,
  version: number,
): Promise<JourneyVersion | undefined> {
  return db
    .selectFrom('journey_versions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/**
 * The names of the templates and segments among `ids` (others are left out), for showing a
 * journey's steps by what they use rather than by id.
 */
export async function referenceNames(
  db: DbOrTrx,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const [templates, segments] = await Promise.all([
    db
      .selectFrom('templates')
      .select(['id', 'name'])
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('segments')
      .select(['id', 'name'])
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .execute(),
  ]);
  for (const row of [...templates, ...segments]) names.set(row.id, row.name);
  return names;
}

/** Ids of the workspace's templates and segments, for the compiler's reference checks. */
export async function referenceIds(
  db: DbOrTrx,
  workspaceId: string,
): Promise<{ templates: Set<string>; segments: Set<string> }> {
  const [templates, segments] = await Promise.all([
    db.selectFrom('templates').select('id').where('workspace_id', '=', workspaceId).execute(),
    db.selectFrom('segments').select('id').where('workspace_id', '=', workspaceId).execute(),
  ]);
  return { templates: new Set(templates.map((t) => t.id)), segments: new Set(segments.map((s) => s.id)) };
}
