import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Member, MemberRole } from '../schema.js';

export async function findMemberByEmail(db: DbOrTrx, email: string): Promise<Member | undefined> {
  return db
    .selectFrom('members')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

export async function countMembers(db: DbOrTrx, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertMember(
  db: DbOrTrx,
  member: {
    workspaceId: string;
    email: string;
    name?: string | null;
    role: MemberRole;
    passwordHash: string;
  },
): Promise<Member> {
  return db
    .insertInto('members')
    .values({
      workspace_id: member.workspaceId,
      email: member.email,
      name: member.name ?? null,
      role: member.role,
      password_hash: member.passwordHash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateMemberPassword(
  db: DbOrTrx,
  workspaceId: string,
  memberId: string,
  passwordHash: string,
): Promise<void> {
  await db
    .updateTable('members')
    .set({ password_hash: passwordHash })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', memberId)
    .execute();
}

export async function touchMemberSignIn(db: DbOrTrx, workspaceId: string, memberId: string): Promise<void> {
  await db
    .updateTable('members')
    .set({ last_sign_in_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', memberId)
    .execute();
}
