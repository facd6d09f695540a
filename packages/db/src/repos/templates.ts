import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Channel } from '../schema.js';

export interface TemplateRow {
  id: string;
  name: string;
  channel: Channel;
  version: number;
  content: Record<string, unknown>;
  updatedAt: Date;
}

function current(db: DbOrTrx, workspaceId: string) {
  return db
    .selectFrom('templates as t')
    .innerJoin('template_versions as v', (join) =>
      join
        .onRef('v.workspace_id', '=', 't.workspace_id')
        .onRef('v.template_id', '=', 't.id')
        .onRef('v.version', '=', 't.current_version'),
    )
    .select(['t.id', 't.name', 't.channel', 'v.version', 'v.content', 't.updated_at as updatedAt'])
    .where('t.workspace_id', '=', workspaceId);
}

export async function listTemplates(
  db: DbOrTrx,
  workspaceId: string,
  channel?: Channel,
): Promise<TemplateRow[]> {
  let query = current(db, workspaceId);
  if (channel) query = query.where('t.channel', '=', channel);
  return query.orderBy('t.name').execute();
}

export async function findTemplate(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
): Promise<TemplateRow | undefined> {
  return current(db, workspaceId).where('t.id', '=', id).executeTakeFirst();
}

/** A template and its first version, in one transaction. */
export async function insertTemplate(
  db: DbOrTrx,
  template: {
    workspaceId: string;
    name: string;
    channel: Channel;
    content: Record<string, unknown>;
    memberId: string | null;
  },
): Promise<string> {
  const run = async (trx: DbOrTrx) => {
    const { id } = await trx
      .insertInto('templates')
      .values({ workspace_id: template.workspaceId, name: template.name, channel: template.channel })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('template_versions')
      .values({
        workspace_id: template.workspaceId,
        template_id: id,
        version: 1,
        content: JSON.stringify(template.content),
        created_by: template.memberId,
      })
      .execute();
    return id;
  };
  return 'isTransaction' in db && db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Saves a new version; earlier versions stay, so messages keep the content they were sent with. */
export async function insertTemplateVersion(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
  changes: { name?: string; content: Record<string, unknown>; memberId: string | null },
): Promise<number | undefined> {
  const updated = await db
    .updateTable('templates')
    .set({
      current_version: sql`current_version + 1`,
      updated_at: sql`now()`,
      ...(changes.name !== undefined ? { name: changes.name } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning('current_version')
    .executeTakeFirst();
  if (!updated) return undefined;
  await db
    .insertInto('template_versions')
    .values({
      workspace_id: workspaceId,
      template_id: id,
      version: updated.current_version,
      content: JSON.stringify(changes.content),
      created_by: changes.memberId,
    })
    .execute();
  return updated.current_version;
}
