import type { DbOrTrx } from '../connection.js';
import type { Member } from '../schema.js';

export async function insertSession(
  db: DbOrTrx,
  session: { workspaceId: string; memberId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      workspace_id: session.workspaceId,
      member_id: session.memberId,
      token_hash: session.tokenHash,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** The member behind a live session, or undefined when the session is unknown or expired. */
export async function findSessionMember(db: DbOrTrx, tokenHash: string): Promise<Member | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('members', (join) =>
      join
        .onRef('members.id', '=', 'sessions.member_id')
        .onRef('members.workspace_id', '=', 'sessions.workspace_id'),
    )
    .selectAll('members')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst();
}

export async function deleteSession(db: DbOrTrx, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredSessions(db: DbOrTrx, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
