import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';

/** An in-app message as the app shows it. */
export interface InAppMessage {
  id: string;
  journeyId: string | null;
  content: Record<string, unknown>;
  status: 'delivered';
  createdAt: Date;
}

/**
 * The user's unread in-app messages (delivered by the `inapp` adapter, not the sandbox, and not
 * yet opened), newest first, marked
 * `delivered` as they are handed out: fetched by the app is delivered.
 */
export async function takeUnreadInAppMessages(
  db: DbOrTrx,
  workspaceId: string,
  userId: string,
  limit: number,
): Promise<InAppMessage[]> {
  const result = await sql<{
    id: string;
    journey_id: string | null;
    content: Record<string, unknown>;
    created_at: Date;
  }>`
    with unread as (
      select m.id
        from messages m
        join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
       where m.workspace_id = ${workspaceId} and p.user_id = ${userId}
         and m.channel = 'inapp' and m.adapter = 'inapp' and m.status in ('sent', 'delivered')
       order by m.created_at desc, m.id desc
       limit ${limit}
    )
    update messages m
       set status = 'delivered', updated_at = case when m.status = 'sent' then now() else m.updated_at end
      from unread
     where m.workspace_id = ${workspaceId} and m.id = unread.id and m.status in ('sent', 'delivered')
    returning m.id, m.journey_id, m.content, m.created_at`.execute(db);
  return result.rows
    .map((row) => ({
      id: row.id,
      journeyId: row.journey_id,
      content: row.content,
      status: 'delivered' as const,
      createdAt: row.created_at,
    }))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
}

/**
 * Marks one of the user's in-app messages read (`opened`, never backwards from `clicked`).
 * Undefined when the user has no such in-app message; else whether this call changed it.
 */
export async function markInAppMessageRead(
  db: DbOrTrx,
  workspaceId: string,
  userId: string,
  messageId: string,
): Promise<{ changed: boolean } | undefined> {
  const found = await db
    .selectFrom('messages as m')
    .innerJoin('profiles as p', (join) =>
      join.onRef('p.workspace_id', '=', 'm.workspace_id').onRef('p.id', '=', 'm.profile_id'),
    )
    .select(['m.id', 'm.status'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.id', '=', messageId)
    .where('m.channel', '=', 'inapp')
    .where('p.user_id', '=', userId)
    .executeTakeFirst();
  if (!found) return undefined;
  const result = await db
    .updateTable('messages')
    .set({ status: 'opened', updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', messageId)
    .where('status', 'in', ['sent', 'delivered'])
    .executeTakeFirst();
  return { changed: result.numUpdatedRows > 0n };
}
