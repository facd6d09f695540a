import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Channel, MessageStatus } from '../schema.js';

/** What a tracking link needs of its message, and who the person is to the ingestion API. */
export interface TrackedMessage {
  workspaceId: string;
  id: string;
  profileId: string;
  channel: Channel;
  status: MessageStatus;
  journeyId: string | null;
  nodeId: string | null;
  templateId: string | null;
  templateVersion: number | null;
  variant: string | null;
  /** The profile's user id, else one of its anonymous ids: what an event about it must carry. */
  userId: string | null;
  anonymousId: string | null;
  /** `traits.subscriptions.<channel>` of the profile: true, false, or null (unset). */
  subscribed: boolean | null;
  /** The profile's last change (microseconds since the epoch): names the state an unsubscribe saw. */
  profileVersion: string;
  /** A test send: its links work, but say nothing about the profile whose data filled it. */
  test: boolean;
}

/** A message by id alone (tracking tokens carry no workspace); undefined if it is gone. */
export async function findTrackedMessage(db: DbOrTrx, id: string): Promise<TrackedMessage | undefined> {
  const row = await db
    .selectFrom('messages as m')
    .innerJoin('profiles as p', (join) =>
      join.onRef('p.workspace_id', '=', 'm.workspace_id').onRef('p.id', '=', 'm.profile_id'),
    )
    .select((eb) => [
      'm.workspace_id',
      'm.id',
      'm.profile_id',
      'm.channel',
      'm.status',
      'm.journey_id',
      'm.node_id',
      'm.template_id',
      'm.template_version',
      'm.variant',
      'p.user_id',
      sql<unknown>`p.traits -> 'subscriptions' -> m.channel`.as('subscribed'),
      sql<string>`(extract(epoch from p.updated_at) * 1000000)::bigint::text`.as('profile_version'),
      sql<boolean>`coalesce((m.content ->> 'test')::boolean, false)`.as('test'),
      eb
        .selectFrom('profile_identities as i')
        .select('i.value')
        .whereRef('i.workspace_id', '=', 'm.workspace_id')
        .whereRef('i.profile_id', '=', 'm.profile_id')
        .where('i.kind', '=', 'anonymous_id')
        .orderBy('i.created_at')
        .limit(1)
        .as('anonymous_id'),
    ])
    .where('m.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    profileId: row.profile_id,
    channel: row.channel,
    status: row.status,
    journeyId: row.journey_id,
    nodeId: row.node_id,
    templateId: row.template_id,
    templateVersion: row.template_version,
    variant: row.variant,
    userId: row.user_id,
    anonymousId: row.user_id ? null : (row.anonymous_id ?? null),
    subscribed: typeof row.subscribed === 'boolean' ? row.subscribed : null,
    profileVersion: row.profile_version,
    test: row.test === true,
  };
}

/**
 * A delivered message's engagement, in order. Statuses before `sent` belong to delivery, which
 * moves them itself; failed and suppressed messages were never read.
 */
const engagement: readonly MessageStatus[] = ['sent', 'delivered', 'opened', 'clicked'];

/**
 * Moves a message's status forward to `status` (opened or clicked), never backwards: a click
 * after an open makes it clicked, an open after a click changes nothing. Only a message that
 * delivery has marked sent (or delivered, or opened) moves: one still queued or being handed to
 * its adapter is left to delivery, and failed and suppressed ones keep their status. True when
 * the status changed.
 */
export async function advanceMessageStatus(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
  status: 'opened' | 'clicked',
): Promise<boolean> {
  const order = sql.val(engagement);
  const result = await db
    .updateTable('messages')
    .set({ status, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where(
      sql<boolean>`status = any(${order}::text[]) and array_position(${order}::text[], status) < array_position(${order}::text[], ${status}::text)`,
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
