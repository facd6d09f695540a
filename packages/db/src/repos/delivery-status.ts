import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Channel, MessageStatus } from '../schema.js';

/** A message a delivery status webhook names, and the address it reached (normalised). */
export interface StatusTarget {
  id: string;
  channel: Channel;
  status: MessageStatus;
  /** The profile's address for the channel, as the suppression list keys it; null if none. */
  address: string | null;
}

/**
 * The message a provider reports on, by our id or by the provider's (as the adapter returned
 * it: SMTP's Message-ID with its angle brackets, which providers often drop). Scoped by workspace.
 */
export async function findStatusTarget(
  db: DbOrTrx,
  workspaceId: string,
  by: { messageId?: string | undefined; providerId?: string | undefined },
): Promise<StatusTarget | undefined> {
  const match = by.messageId
    ? sql`m.id = ${by.messageId}::uuid`
    : sql`m.provider_id in (${by.providerId ?? ''}, ${`<${by.providerId ?? ''}>`})`;
  const { rows } = await sql<StatusTarget>`
    select m.id, m.channel, m.status,
           touchline_address(m.channel, case when m.channel = 'email' then p.email else p.phone end) as address
      from messages m
      join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
     where m.workspace_id = ${workspaceId} and ${match}
     order by m.created_at desc
     limit 1`.execute(db);
  return rows[0];
}

/**
 * Moves a message to what its provider reported, never backwards: `delivered` only from `sent`
 * (opened and clicked stay), `failed` from `sent` or `delivered` (a bounce can follow the
 * receiving server's acceptance). True when the status changed.
 */
export async function recordDeliveryStatus(
  db: DbOrTrx,
  workspaceId: string,
  messageId: string,
  status: 'delivered' | 'failed',
  error: string | null,
): Promise<boolean> {
  const from = status === 'delivered' ? ['sent'] : ['sent', 'delivered'];
  const result = await sql`
    update messages set status = ${status}, error = coalesce(${error}, error), updated_at = now()
     where workspace_id = ${workspaceId} and id = ${messageId}::uuid and status = any(${from}::text[])`.execute(
    db,
  );
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** The secrets a status webhook's signature may be made with: the current one, then the previous. */
export async function findDeliveryStatusSecrets(db: DbOrTrx, workspaceId: string): Promise<string[]> {
  const { rows } = await sql<{ secret: string; previous_secret: string | null }>`
    select secret, previous_secret from delivery_status_secrets where workspace_id = ${workspaceId}`.execute(
    db,
  );
  const row = rows[0];
  if (!row) return [];
  return row.previous_secret ? [row.secret, row.previous_secret] : [row.secret];
}

/** A new signing secret; the one it replaces keeps verifying until the next rotation. */
export async function rotateDeliveryStatusSecret(
  db: DbOrTrx,
  workspaceId: string,
): Promise<{ secret: string; rotatedAt: Date }> {
  const secret = `tl_dss_${randomBytes(32).toString('base64url')}`;
  const { rows } = await sql<{ rotated_at: Date }>`
    insert into delivery_status_secrets as s (workspace_id, secret) values (${workspaceId}, ${secret})
    on conflict (workspace_id) do update
      set previous_secret = s.secret, secret = excluded.secret, rotated_at = now()
    returning rotated_at`.execute(db);
  return { secret, rotatedAt: rows[0]?.rotated_at ?? new Date() };
}
