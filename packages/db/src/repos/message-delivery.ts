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
    /** Device tokens for push, the most recent first. */
    push_tokens: string[];
    timezone: string | null;
    locale: string | null;
    traits: Record<string, unknown>;
    computed: Record<string, unknown>;
    orders_count: number;
    lifetime_value: string;
    last_order_at: Date | null;
  };
}

/** A message row joined with its profile, as the delivery statements select it (snake case). */
export interface DeliverableMessageRow {
  workspace_id: string;
  id: string;
  idempotency_key: string;
  channel: Channel;
  status: MessageStatus;
  template_id: string | null;
  template_version: number | null;
  content: Record<string, unknown>;
  delivery_attempts: number;
  user_id: string | null;
  email: string | null;
  phone: string | null;
  push_tokens: unknown;
  timezone: string | null;
  locale: string | null;
  traits: Record<string, unknown> | null;
  computed: Record<string, unknown> | null;
  orders_count: number;
  lifetime_value: string;
  last_order_at: Date | null;
}

/** The message a delivery works with, from its row. */
export function toDeliverableMessage(row: DeliverableMessageRow): DeliverableMessage {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
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
      push_tokens: Array.isArray(row.push_tokens) ? row.push_tokens : [],
      timezone: row.timezone,
      locale: row.locale,
      traits: row.traits ?? {},
      computed: row.computed ?? {},
      orders_count: row.orders_count,
      lifetime_value: row.lifetime_value,
      last_order_at: row.last_order_at,
    },
  };
}

export async function findDeliverableMessage(
  db: DbOrTrx,
  workspaceId: string,
  messageId: string,
): Promise<DeliverableMessage | undefined> {
  const [found] = await findDeliverableMessages(db, [{ workspaceId, messageId }]);
  return found;
}

/**
 * {@link findDeliverableMessage} for many messages in one statement (the deliveries running at
 * once); one answer per reference, in order.
 */
export async function findDeliverableMessages(
  db: DbOrTrx,
  refs: ReadonlyArray<{ workspaceId: string; messageId: string }>,
): Promise<Array<DeliverableMessage | undefined>> {
  if (refs.length === 0) return [];
  const rows = await db
    .selectFrom(
      sql<{ w: string; id: string }>`(select distinct w, id from json_to_recordset(${JSON.stringify(
        refs.map((r) => ({ w: r.workspaceId, id: r.messageId })),
      )}::json) as x(w uuid, id uuid))`.as('x'),
    )
    .innerJoin('messages as m', (join) => join.onRef('m.workspace_id', '=', 'x.w').onRef('m.id', '=', 'x.id'))
    .innerJoin('profiles as p', (join) =>
      join.onRef('p.workspace_id', '=', 'm.workspace_id').onRef('p.id', '=', 'm.profile_id'),
    )
    .leftJoin('templates as t', (join) =>
      join.onRef('t.workspace_id', '=', 'm.workspace_id').onRef('t.id', '=', 'm.template_id'),
    )
    .select([
      'm.workspace_id',
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
      'p.push_tokens',
      'p.timezone',
      'p.locale',
      'p.traits',
      'p.computed',
      'p.orders_count',
      'p.lifetime_value',
      'p.last_order_at',
    ])
    .execute();
  const byKey = new Map(rows.map((row) => [`${row.workspace_id}:${row.id}`, row]));
  return refs.map(({ workspaceId, messageId }) => {
    const row = byKey.get(`${workspaceId}:${messageId}`);
    return row ? toDeliverableMessage(row) : undefined;
  });
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

/** One claim of a group (see {@link claimMessages}). */
export interface MessageClaim {
  workspaceId: string;
  messageId: string;
  adapter: string;
  /** Claim it even if an earlier attempt left it `sending` (an idempotent adapter). */
  reclaim: boolean;
}

/**
 * Claims queued messages for one delivery attempt each, in one statement (deliveries come by
 * hundreds, and a commit each is what they cost): only one attempt can win a message, and a
 * message claimed before (a worker died while sending it) is claimed again only with `reclaim`.
 * Returns each claim's attempt number, or undefined where the message was not claimable; a
 * message named twice is claimed once, by the first.
 */
export async function claimMessages(
  db: DbOrTrx,
  claims: readonly MessageClaim[],
): Promise<Array<number | undefined>> {
  const rows = await sql<{ id: string; delivery_attempts: number }>`
    update messages m
       set status = 'sending', adapter = x.a, claimed_at = now(), delivery_attempts = m.delivery_attempts + 1,
           updated_at = now()
      from (select distinct on (id) * from json_to_recordset(${JSON.stringify(
        claims.map((c) => ({ w: c.workspaceId, id: c.messageId, a: c.adapter, r: c.reclaim })),
      )}::json) as x(w uuid, id uuid, a text, r boolean)) x
     where m.workspace_id = x.w and m.id = x.id and (m.status = 'queued' or (x.r and m.status = 'sending'))
    returning m.id, m.delivery_attempts`.execute(db);
  const won = new Map(rows.rows.map((r) => [r.id, r.delivery_attempts]));
  return claims.map((c) => {
    const attempt = won.get(c.messageId);
    won.delete(c.messageId);
    return attempt;
  });
}

/** One message an adapter accepted (see {@link markMessagesSent}). */
export interface SentMessage {
  workspaceId: string;
  messageId: string;
  providerId: string;
  templateVersion: number | null;
  rendered: Record<string, unknown>;
  /**
   * Set when the message was handed over without a claim (an idempotent adapter, see
   * `deliverMessage`): the mark then takes a `queued` message too, counts the attempt and
   * records the adapter. Unset, only a message claimed (`sending`) is marked.
   */
  adapter?: string;
}

/**
 * The adapters accepted these messages: `sent`, with the provider's id and what was rendered,
 * in one statement; true where the mark took (the message was still `sending`, or still
 * `queued` for one sent unclaimed).
 */
export async function markMessagesSent(db: DbOrTrx, sent: readonly SentMessage[]): Promise<boolean[]> {
  const rows = await sql<{ id: string }>`
    update messages m
       set status = 'sent', provider_id = x.p, template_version = x.v,
           content = m.content || jsonb_build_object('rendered', x.r), error = null, sent_at = now(),
           adapter = coalesce(x.a, m.adapter),
           delivery_attempts = m.delivery_attempts + case when x.a is null then 0 else 1 end,
           updated_at = now()
      from (select distinct on (id) * from json_to_recordset(${JSON.stringify(
        sent.map((s) => ({
          w: s.workspaceId,
          id: s.messageId,
          p: s.providerId,
          v: s.templateVersion,
          r: s.rendered,
          a: s.adapter ?? null,
        })),
      )}::json) as x(w uuid, id uuid, p text, v int, r jsonb, a text)) x
     where m.workspace_id = x.w and m.id = x.id
       and (m.status = 'sending' or (x.a is not null and m.status = 'queued'))
    returning m.id`.execute(db);
  const marked = new Set(rows.rows.map((r) => r.id));
  return sent.map((s) => {
    const took = marked.has(s.messageId);
    marked.delete(s.messageId);
    return took;
  });
}

/**
 * An attempt handed over without a claim failed in a way worth retrying: counted, with why;
 * the message stays (or goes back to) `queued`.
 */
export async function recordFailedAttempt(
  db: DbOrTrx,
  workspaceId: string,
  messageId: string,
  error: string,
): Promise<void> {
  await db
    .updateTable('messages')
    .set({
      status: 'queued',
      error,
      claimed_at: null,
      delivery_attempts: sql`delivery_attempts + 1`,
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', messageId)
    .where('status', 'in', ['queued', 'sending'])
    .execute();
}
