import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Channel, MessageStatus } from '../schema.js';

/** An outbox message with what delivering it needs: its profile and its template's channel. */
export interface DeliverableMessage {
  id: string;
  workspaceId: string;
  idempotencyKey: string;
  channel: Channel;
  status: MessageStatus;
  templateId: string | null;
  /** The version it was (or is to be) rendered from: the row's, else the template's current one. */
  templateVersion: number | null;
  content: Record<string, unknown>;
  deliveryAttempts: number;
  profile: {
    user_id: string | null;
    email: string | null;
    phone: string | null;
    timezone: string | null;
    locale: string | null;
    traits: Record<string, unknown>;
    computed: Record<string, unknown>;
    orders_count: number;
    lifetime_value: string;
    last_order_at: Date | null;
  };
}

export async function findDeliverableMessage(
  db: DbOrTrx,
  workspaceId: string,
  messageId: string,
): Promise<DeliverableMessage | undefined> {
  const row = await db
    .selectFrom('messages as m')
    .innerJoin('profiles as p', (join) =>
      join.onRef('p.workspace_id', '=', 'm.workspace_id').onRef('p.id', '=', 'm.profile_id'),
    )
    .leftJoin('templates as t', (join) =>
      join.onRef('t.workspace_id', '=', 'm.workspace_id').onRef('t.id', '=', 'm.template_id'),
    )
    .select([
      'm.id',
      'm.idempotency_key',
      'm.channel',
      'm.status',
      'm.template_id',
      sql<number | null>`coalesce(m.template_version, t.current_version)`.as('template_version'),
      'm.content',
      'm.delivery_attempts',
      'p.user_id',
      'p.email',
      'p.phone',
      'p.timezone',
      'p.locale',
      'p.traits',
      'p.computed',
      'p.orders_count',
      'p.lifetime_value',
      'p.last_order_at',
    ])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.id', '=', messageId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    workspaceId,
    idempotencyKey: row.idempotency_key,
    channel: row.channel,
    status: row.status,
    templateId: row.template_id,
    templateVersion: row.template_version,
    content: row.content,
    deliveryAttempts: row.delivery_attempts,
    profile: {
      user_id: row.user_id,
      email: row.email,
      phone: row.phone,
      timezone: row.timezone,
      locale: row.locale,
      traits: row.traits,
      computed: row.computed,
      orders_count: row.orders_count,
      lifetime_value: row.lifetime_value,
      last_order_at: row.last_order_at,
    },
  };
}

/** One stored version of a template (versions are immutable), with its template's channel. */
export async function findTemplateVersion(
  db: DbOrTrx,
  workspaceId: string,
  templateId: string,
  version: number,
): Promise<{ channel: Channel; content: Record<string, unknown> } | undefined> {
  return db
    .selectFrom('template_versions as v')
    .innerJoin('templates as t', (join) =>
      join.onRef('t.workspace_id', '=', 'v.workspace_id').onRef('t.id', '=', 'v.template_id'),
    )
    .select(['t.channel', 'v.content'])
    .where('v.workspace_id', '=', workspaceId)
    .where('v.template_id', '=', templateId)
    .where('v.version', '=', version)
    .executeTakeFirst();
}

/**
 * Claims a queued message for one delivery attempt: only one attempt can win it. A message
 * claimed before (a worker died while sending it) is claimed again only when `reclaim` says so
 * (an idempotent adapter). Returns the attempt's number, or undefined when it was not claimable.
 */
export async function claimMessage(
  db: DbOrTrx,
  workspaceId: string,
  messageId: string,
  adapter: string,
  reclaim = false,
): Promise<number | undefined> {
  const row = await db
    .updateTable('messages')
    .set({
      status: 'sending',
      adapter,
      claimed_at: sql`now()`,
      delivery_attempts: sql`delivery_attempts + 1`,
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', messageId)
    .where('status', 'in', reclaim ? ['queued', 'sending'] : ['queued'])
    .returning('delivery_attempts')
    .executeTakeFirst();
  return row?.delivery_attempts;
}

/** Gives a claimed message back to the queue after a failure worth retrying. */
export async function releaseMessage(
  db: DbOrTrx,
  workspaceId: string,
  messageId: string,
  error: string,
): Promise<void> {
  await db
    .updateTable('messages')
    .set({ status: 'queued', error, claimed_at: null, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', messageId)
    .where('status', '=', 'sending')
    .execute();
}

/** The adapter accepted the message: `sent`, with the provider's id and what was rendered. */
export async function markMessageSent(
  db: DbOrTrx,
  workspaceId: string,
  messageId: string,
  sent: { providerId: string; templateVersion: number | null; rendered: Record<string, unknown> },
): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set({
      status: 'sent',
      provider_id: sent.providerId,
      template_version: sent.templateVersion,
      content: sql`content || jsonb_build_object('rendered', ${JSON.stringify(sent.rendered)}::jsonb)`,
      error: null,
      sent_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', messageId)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The message will never be delivered: `failed`, with why. Only from the given statuses. */
export async function markMessageFailed(
  db: DbOrTrx,
  workspaceId: string,
  messageId: string,
  error: string,
  from: readonly MessageStatus[],
): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set({ status: 'failed', error, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', messageId)
    .where('status', 'in', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
