import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import { decodeCursor, encodeCursor, isUuid, type KeysetPage, type KeysetPosition } from './keyset.js';

/** The channels whose addresses can be suppressed: those a bounce or a complaint is about. */
export const suppressionChannels = ['email', 'sms', 'whatsapp'] as const;
export type SuppressionChannel = (typeof suppressionChannels)[number];

export const suppressionReasons = ['bounced', 'complained', 'manual', 'unsubscribed'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

export interface Suppression {
  id: string;
  channel: SuppressionChannel;
  address: string;
  reason: SuppressionReason;
  sourceMessageId: string | null;
  detail: string | null;
  createdAt: Date;
}

/**
 * An address as the list keys it, by the rules of the SQL function `touchline_address`
 * (migration 0009): an email lower-cased; a phone reduced to digits with a leading + (00 read as
 * +). Undefined when nothing is left to key by, or an email has no @.
 */
export function normalizeAddress(channel: SuppressionChannel, address: string): string | undefined {
  const trimmed = address.trim();
  if (trimmed === '') return undefined;
  if (channel === 'email') {
    const email = trimmed.toLowerCase();
    return /^[^@\s]+@[^@\s]+$/.test(email) ? email : undefined;
  }
  const international = trimmed.startsWith('+') || trimmed.startsWith('00');
  const digits = (trimmed.startsWith('00') ? trimmed.slice(2) : trimmed).replace(/[^0-9]/g, '');
  if (digits.length < 3 || digits.length > 15) return undefined;
  return `${international ? '+' : ''}${digits}`;
}

interface SuppressionRow {
  id: string;
  channel: SuppressionChannel;
  address: string;
  reason: SuppressionReason;
  source_message_id: string | null;
  detail: string | null;
  created_at: Date;
  at: string;
}

const toSuppression = (row: SuppressionRow): Suppression => ({
  id: row.id,
  channel: row.channel,
  address: row.address,
  reason: row.reason,
  sourceMessageId: row.source_message_id,
  detail: row.detail,
  createdAt: row.created_at,
});

const columns = sql`id, channel, address, reason, source_message_id, detail, created_at,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`;

/**
 * Adds an address (already normalised) to the list. An address already there keeps its first
 * reason and source: a later bounce of a suppressed address says nothing new. Answers the row and
 * whether this call created it.
 */
export async function addSuppression(
  db: DbOrTrx,
  workspaceId: string,
  entry: {
    channel: SuppressionChannel;
    address: string;
    reason: SuppressionReason;
    sourceMessageId?: string | null;
    detail?: string | null;
  },
): Promise<{ suppression: Suppression; created: boolean }> {
  // Twice at most: a row another transaction committed after this statement's snapshot is
  // neither inserted nor seen, and the second statement sees it.
  for (let attempt = 0; ; attempt++) {
    const row = await addOrFind(db, workspaceId, entry);
    if (row) return { suppression: toSuppression(row), created: row.created };
    if (attempt > 0) throw new Error('suppression neither added nor found');
  }
}

async function addOrFind(
  db: DbOrTrx,
  workspaceId: string,
  entry: Parameters<typeof addSuppression>[2],
): Promise<(SuppressionRow & { created: boolean }) | undefined> {
  const { rows } = await sql<SuppressionRow & { created: boolean }>`
    with added as (
      insert into suppressions (workspace_id, channel, address, reason, source_message_id, detail)
      values (${workspaceId}, ${entry.channel}, ${entry.address}, ${entry.reason},
              ${entry.sourceMessageId ?? null}, ${entry.detail ?? null})
      on conflict (workspace_id, channel, address) do nothing
      returning ${columns}, true as created
    )
    select * from added
    union all
    select ${columns}, false as created from suppressions
     where workspace_id = ${workspaceId} and channel = ${entry.channel} and address = ${entry.address}
       and not exists (select 1 from added)`.execute(db);
  return rows[0];
}

/** Takes an address off the list; true when it was on it. */
export async function removeSuppression(
  db: DbOrTrx,
  workspaceId: string,
  channel: SuppressionChannel,
  address: string,
): Promise<boolean> {
  const result = await sql`delete from suppressions
    where workspace_id = ${workspaceId} and channel = ${channel} and address = ${address}`.execute(db);
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** The position a `next` of {@link listSuppressions} names, or undefined when it is not one. */
export const decodeSuppressionCursor = (cursor: string) => decodeCursor(cursor, isUuid);

/** The list, newest first, paged on (created_at, id). */
export async function listSuppressions(
  db: DbOrTrx,
  workspaceId: string,
  filter: { channel?: SuppressionChannel | undefined; reason?: SuppressionReason | undefined },
  page: { limit: number; before?: KeysetPosition | undefined },
): Promise<KeysetPage<Suppression>> {
  const { before } = page;
  const { rows } = await sql<SuppressionRow>`
    select ${columns} from suppressions
     where workspace_id = ${workspaceId}
       ${filter.channel ? sql`and channel = ${filter.channel}` : sql``}
       ${filter.reason ? sql`and reason = ${filter.reason}` : sql``}
       ${before ? sql`and (created_at, id) < (${before.at}::timestamptz, ${before.id}::uuid)` : sql``}
     order by created_at desc, id desc
     limit ${page.limit + 1}`.execute(db);
  const kept = rows.slice(0, page.limit);
  const last = kept.at(-1);
  return {
    rows: kept.map(toSuppression),
    next: rows.length > page.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}

/** The channels on which a profile's addresses are suppressed (what the runtime's profile load reads). */
export async function suppressedChannelsOf(
  db: DbOrTrx,
  workspaceId: string,
  profile: { email: string | null; phone: string | null },
): Promise<SuppressionChannel[]> {
  const { rows } = await sql<{ channel: SuppressionChannel }>`
    select channel from suppressions
     where workspace_id = ${workspaceId}
       and (channel, address) in (('email', touchline_address('email', ${profile.email})),
                                  ('sms', touchline_address('sms', ${profile.phone})),
                                  ('whatsapp', touchline_address('whatsapp', ${profile.phone})))`.execute(db);
  return rows.map((r) => r.channel);
}
