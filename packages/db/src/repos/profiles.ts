import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Channel, EnrollmentStatus, EventType, MessageStatus, Profile } from '../schema.js';

export interface ProfileIdentity {
  kind: 'user_id' | 'anonymous_id' | 'alias';
  value: string;
}

export interface ProfileEventRow {
  id: string;
  message_id: string;
  type: EventType;
  event: string | null;
  properties: Record<string, unknown>;
  timestamp: Date;
  received_at: Date;
}

export interface ProfileEnrollmentRow {
  id: string;
  journey_id: string;
  journey_name: string;
  journey_version: number;
  status: EnrollmentStatus;
  current_node: string | null;
  entered_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  converted_at: Date | null;
}

export interface ProfileMessageRow {
  id: string;
  channel: Channel;
  journey_id: string | null;
  node_id: string | null;
  template_id: string | null;
  status: MessageStatus;
  suppressed_reason: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export interface ProfileSummaryRow {
  id: string;
  user_id: string | null;
  email: string | null;
  phone: string | null;
  last_seen_at: Date;
  orders_count: number;
  lifetime_value: string;
}

import {
  decodeCursor,
  encodeCursor,
  isBigint,
  isUuid,
  type KeysetPage,
  type KeysetPosition,
  microsOf,
} from './keyset.js';

export type { KeysetPage, KeysetPosition } from './keyset.js';

const identityOrder = sql<number>`case kind when 'user_id' then 0 when 'anonymous_id' then 1 else 2 end`;

/**
 * The live profile an identifier names: a user id first, then an anonymous id, then an alias, so
 * an old anonymous id or alias still finds the profile that survived a merge.
 */
export async function findProfileByIdentifier(
  db: DbOrTrx,
  workspaceId: string,
  identifier: string,
): Promise<Profile | undefined> {
  const identity = await db
    .selectFrom('profile_identities')
    .select('profile_id')
    .where('workspace_id', '=', workspaceId)
    .where('kind', 'in', ['user_id', 'anonymous_id', 'alias'])
    .where('value', '=', identifier)
    .orderBy(identityOrder)
    .limit(1)
    .executeTakeFirst();
  if (!identity) return undefined;
  // Merges move identities to the survivor; following merged_into covers a tombstone regardless.
  let profileId = identity.profile_id;
  for (let hop = 0; hop < 8; hop += 1) {
    const profile = await db
      .selectFrom('profiles')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', profileId)
      .executeTakeFirst();
    if (!profile?.merged_into) return profile;
    profileId = profile.merged_into;
  }
  return undefined;
}

export async function listProfileIdentities(
  db: DbOrTrx,
  workspaceId: string,
  profileId: string,
): Promise<ProfileIdentity[]> {
  return db
    .selectFrom('profile_identities')
    .select(['kind', 'value'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .orderBy('created_at')
    .orderBy('value')
    .execute();
}

/** Most recent first; a profile in a recurring journey may have many. */
export async function listProfileEnrollments(
  db: DbOrTrx,
  workspaceId: string,
  profileId: string,
  limit: number,
): Promise<ProfileEnrollmentRow[]> {
  return db
    .selectFrom('enrollments as e')
    .innerJoin('journeys as j', (join) =>
      join.onRef('j.workspace_id', '=', 'e.workspace_id').onRef('j.id', '=', 'e.journey_id'),
    )
    .select([
      'e.id',
      'e.journey_id',
      'j.name as journey_name',
      'e.journey_version',
      'e.status',
      'e.current_node',
      'e.entered_at',
      'e.ended_at',
      'e.end_reason',
      'e.converted_at',
    ])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.profile_id', '=', profileId)
    .orderBy('e.entered_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}

/** The newest outbox rows of a profile. */
export async function listProfileMessages(
  db: DbOrTrx,
  workspaceId: string,
  profileId: string,
  limit: number,
): Promise<ProfileMessageRow[]> {
  return db
    .selectFrom('messages')
    .select([
      'id',
      'channel',
      'journey_id',
      'node_id',
      'template_id',
      'status',
      'suppressed_reason',
      'created_at',
      'sent_at',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The position a `nextBefore` of {@link listProfileEvents} names, or undefined when it is not one. */
export const decodeEventCursor = (cursor: string) => decodeCursor(cursor, isBigint);
/** The position a `nextCursor` of {@link searchProfiles} names, or undefined when it is not one. */
export const decodeProfileCursor = (cursor: string) => decodeCursor(cursor, isUuid);

/** A profile's events, newest first, paged on (timestamp, id). */
export async function listProfileEvents(
  db: DbOrTrx,
  workspaceId: string,
  profileId: string,
  page: { limit: number; before?: KeysetPosition | undefined },
): Promise<KeysetPage<ProfileEventRow>> {
  let query = db
    .selectFrom('events')
    .select([
      'id',
      'message_id',
      'type',
      'event',
      'properties',
      'timestamp',
      'received_at',
      microsOf('timestamp').as('at'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId);
  const before = page.before;
  if (before) {
    query = query.where(sql<boolean>`(timestamp, id) < (${before.at}::timestamptz, ${before.id}::bigint)`);
  }
  const rows = await query
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const kept = rows.slice(0, page.limit);
  const last = kept.at(-1);
  return {
    rows: kept.map(({ at: _at, ...row }) => row),
    next: rows.length > page.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}

/**
 * Live profiles (merged ones are left out), most recently seen first. With `search`, only those
 * it names exactly: a user id, anonymous id or alias, or an email (in any case); and those whose
 * phone is `phone` (normalised as ingestion stores phones).
 */
export async function searchProfiles(
  db: DbOrTrx,
  workspaceId: string,
  filter: {
    search?: string | undefined;
    phone?: string | null | undefined;
    limit: number;
    after?: KeysetPosition | undefined;
  },
): Promise<KeysetPage<ProfileSummaryRow>> {
  let query = db
    .selectFrom('profiles as p')
    .select([
      'p.id',
      'p.user_id',
      'p.email',
      'p.phone',
      'p.last_seen_at',
      'p.orders_count',
      'p.lifetime_value',
      microsOf('p.last_seen_at').as('at'),
    ])
    .where('p.workspace_id', '=', workspaceId)
    .where('p.merged_into', 'is', null);
  const { search, phone } = filter;
  if (search) {
    query = query.where((eb) =>
      eb.or([
        eb(
          'p.id',
          'in',
          eb
            .selectFrom('profile_identities as i')
            .select('i.profile_id')
            .where('i.workspace_id', '=', workspaceId)
            .where('i.kind', 'in', ['user_id', 'anonymous_id', 'alias'])
            .where('i.value', '=', search),
        ),
        // As profiles_email_idx is written, so that the index serves it.
        eb.and([
          eb('p.email', 'is not', null),
          eb(eb.fn('lower', ['p.email']), '=', sql<string>`lower(${search}::text)`),
        ]),
        ...(phone ? [eb('p.phone', '=', phone)] : []),
      ]),
    );
  }
  const after = filter.after;
  if (after) {
    query = query.where(sql<boolean>`(p.last_seen_at, p.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  }
  const rows = await query
    .orderBy('p.last_seen_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const kept = rows.slice(0, filter.limit);
  const last = kept.at(-1);
  return {
    rows: kept.map(({ at: _at, ...row }) => row),
    next: rows.length > filter.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}
