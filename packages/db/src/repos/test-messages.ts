import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Channel, Profile } from '../schema.js';

/** A test send's outbox row: a template version for one profile, marked `content.test`. */
export interface TestMessage {
  workspaceId: string;
  idempotencyKey: string;
  profileId: string;
  channel: Channel;
  templateId: string;
  templateVersion: number;
  content: Record<string, unknown>;
}

/** Writes test sends to the outbox as `queued`; returns their ids in order. */
export async function insertTestMessages(db: DbOrTrx, messages: readonly TestMessage[]): Promise<string[]> {
  if (messages.length === 0) return [];
  const rows = await db
    .insertInto('messages')
    .values(
      messages.map((m) => ({
        workspace_id: m.workspaceId,
        idempotency_key: m.idempotencyKey,
        profile_id: m.profileId,
        channel: m.channel,
        template_id: m.templateId,
        template_version: m.templateVersion,
        content: JSON.stringify(m.content),
        status: 'queued' as const,
      })),
    )
    .returning(['id', 'idempotency_key'])
    .execute();
  const ids = new Map(rows.map((row) => [row.idempotency_key, row.id]));
  return messages.map((m) => ids.get(m.idempotencyKey) as string);
}

/** Profiles marked for test sends (trait `test_profile: true`), most recently seen first. */
export async function findTestProfiles(db: DbOrTrx, workspaceId: string, limit: number): Promise<Profile[]> {
  return db
    .selectFrom('profiles')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('merged_into', 'is', null)
    .where(sql<boolean>`traits @> '{"test_profile": true}'::jsonb`)
    .orderBy('last_seen_at', 'desc')
    .limit(limit)
    .execute();
}

/** The profile whose email (any case) or phone is this address, if one has it. */
export async function findProfileByAddress(
  db: DbOrTrx,
  workspaceId: string,
  address: { email?: string | undefined; phone?: string | null | undefined },
): Promise<Profile | undefined> {
  const { email, phone } = address;
  if (!email && !phone) return undefined;
  return db
    .selectFrom('profiles')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('merged_into', 'is', null)
    .where((eb) =>
      eb.or([
        ...(email
          ? [eb.and([eb('email', 'is not', null), eb(sql`lower(email)`, '=', email.toLowerCase())])]
          : []),
        ...(phone ? [eb('phone', '=', phone)] : []),
      ]),
    )
    .orderBy('last_seen_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
