import { type Db, findSessionMember, insertSession, type Member } from '@touchline/db';
import { generateToken, hashToken } from './secrets.js';

export const SESSION_COOKIE = 'touchline_session';
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export async function createSession(db: Db, member: Member): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken('');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await insertSession(db, {
    workspaceId: member.workspace_id,
    memberId: member.id,
    tokenHash: hashToken(token),
    expiresAt,
  });
  return { token, expiresAt };
}

export function memberForSession(db: Db, token: string): Promise<Member | undefined> {
  return findSessionMember(db, hashToken(token));
}
