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
