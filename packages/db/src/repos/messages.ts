import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Channel, MessageStatus } from '../schema.js';
import {
  decodeCursor,
  encodeCursor,
  isUuid,
  type KeysetPage,
  type KeysetPosition,
  microsOf,
} from './keyset.js';

export interface OutboxMessageRow {
  id: string;
  profile_id: string;
  user_id: string | null;
  enrollment_id: string | null;
  journey_id: string | null;
  node_id: string | null;
  channel: Channel;
  template_id: string | null;
  template_version: number | null;
  variant: string | null;
  status: MessageStatus;
  suppressed_reason: string | null;
  content: Record<string, unknown>;
  error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export interface MessageFilter {
  profileId?: string | undefined;
  journeyId?: string | undefined;
  channel?: Channel | undefined;
  status?: MessageStatus | undefined;
}

/** The position a `next` of {@link listMessages} names, or undefined when it is not one. */
export const decodeMessageCursor = (cursor: string) => decodeCursor(cursor, isUuid);

/** The outbox, newest first, filtered and paged on (created_at, id). */
export async function listMessages(
  db: DbOrTrx,
  workspaceId: string,
  filter: MessageFilter,
  page: { limit: number; before?: KeysetPosition | undefined },
): Promise<KeysetPage<OutboxMessageRow>> {
  let query = db
    .selectFrom('messages as m')
    .innerJoin('profiles as p', (join) =>
      join.onRef('p.workspace_id', '=', 'm.workspace_id').onRef('p.id', '=', 'm.profile_id'),
    )
    .select([
      'm.id',
      'm.profile_id',
      'p.user_id',
      'm.enrollment_id',
      'm.journey_id',
      'm.node_id',
      'm.channel',
      'm.template_id',
      'm.template_version',
      'm.variant',
      'm.status',
      'm.suppressed_reason',
      'm.content',
      'm.error',
      'm.created_at',
      'm.sent_at',
      microsOf('m.created_at').as('at'),
    ])
    .where('m.workspace_id', '=', workspaceId);
  if (filter.profileId) query = query.where('m.profile_id', '=', filter.profileId);
  if (filter.journeyId) query = query.where('m.journey_id', '=', filter.journeyId);
  if (filter.channel) query = query.where('m.channel', '=', filter.channel);
  if (filter.status) query = query.where('m.status', '=', filter.status);
  const before = page.before;
  if (before) {
    query = query.where(sql<boolean>`(m.created_at, m.id) < (${before.at}::timestamptz, ${before.id}::uuid)`);
  }
  const rows = await query
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const kept = rows.slice(0, page.limit);
  const last = kept.at(-1);
  return {
    rows: kept.map(({ at: _at, ...row }) => row as OutboxMessageRow),
    next: rows.length > page.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}
