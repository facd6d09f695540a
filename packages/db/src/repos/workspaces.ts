import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Workspace } from '../schema.js';

export async function findFirstWorkspace(db: DbOrTrx): Promise<Workspace | undefined> {
  return db.selectFrom('workspaces').selectAll().orderBy('created_at').limit(1).executeTakeFirst();
}

export async function createWorkspace(db: DbOrTrx, name: string): Promise<Workspace> {
  return db.insertInto('workspaces').values({ name }).returningAll().executeTakeFirstOrThrow();
}

export async function findWorkspace(db: DbOrTrx, id: string): Promise<Workspace | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Renames a workspace and/or changes some of its settings: `set` keys replace those stored,
 * `unset` keys are removed, every other key is kept (several parts of Touchline share the jsonb).
 */
export async function updateWorkspace(
  db: DbOrTrx,
  id: string,
  changes: { name?: string | undefined; set?: Record<string, unknown>; unset?: string[] },
): Promise<Workspace | undefined> {
  const set = changes.set ?? {};
  const unset = changes.unset ?? [];
  return db
    .updateTable('workspaces')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      settings: sql`(settings || ${JSON.stringify(set)}::jsonb) - ${unset}::text[]`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
