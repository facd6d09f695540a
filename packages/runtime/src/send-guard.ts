import type pg from 'pg';
import type { Effects } from './effects.js';
import type { ProfileFact } from './facts.js';
import {
  defaultMessaging,
  evaluateGuards,
  type GuardDecision,
  type Recipient,
  type SendRequest,
  type SentMessage,
  type WorkspaceMessaging,
} from './guards.js';

const WEEK_MS = 7 * 24 * 3_600_000;

/** Whether the profile can be reached on a channel, and what it said about marketing there. */
export function recipientOf(fact: ProfileFact, channel: string): Recipient {
  const subscriptions = fact.traits.subscriptions as Record<string, unknown> | undefined;
  const said = subscriptions?.[channel];
  const reachable =
    channel === 'email'
      ? Boolean(fact.email)
      : channel === 'sms' || channel === 'whatsapp'
        ? Boolean(fact.phone)
        : channel === 'push'
          ? fact.pushTokens.length > 0
          : true;
  return {
    reachable,
    subscribed: typeof said === 'boolean' ? said : null,
    // Read with the profile (one key probe per address in the batched profile load).
    suppressedAddress: fact.suppressedChannels?.includes(channel) ?? false,
    timezone: fact.timezone,
  };
}

const locked = new WeakMap<Effects, Set<string>>();

/**
 * Serialises the guarded sends of one profile across concurrent runtime transactions: a
 * transaction-level advisory lock on (workspace, profile), held until commit. A second
 * transaction deciding a send to the same profile waits here, then (read committed: each
 * statement takes a new snapshot) its history query sees the first one's committed messages, so
 * caps, the minimum interval and priority cannot be passed by two sends that did not see each
 * other. Taken once per profile and transaction (`effects` is the transaction's), and only when
 * history is read. Deadlocks between batches locking profiles in different orders are detected
 * by PostgreSQL (40P01) and the runtime retries the transaction.
 */
async function lockSends(
  client: pg.PoolClient,
  workspaceId: string,
  profileId: string,
  effects: Effects,
): Promise<void> {
  let profiles = locked.get(effects);
  if (!profiles) {
    profiles = new Set();
    locked.set(effects, profiles);
  }
  if (profiles.has(profileId)) return;
  await client.query({
    name: 'tl_rt_lock_sends',
    text: `select pg_advisory_xact_lock(hashtextextended('touchline:sends:' || $1 || ':' || $2, 0))`,
    values: [workspaceId, profileId],
  });
  profiles.add(profileId);
}

/** Marketing messages of the last week, and those this transaction has queued so far. */
async function recentMessages(
  client: pg.PoolClient,
  workspaceId: string,
  profileId: string,
  effects: Effects,
  now: Date,
): Promise<SentMessage[]> {
  const result = await client.query<{
    channel: string;
    journey_id: string | null;
    at: Date;
    priority: number | null;
  }>({
    name: 'tl_rt_recent_messages',
    text: `select channel, journey_id, created_at as at, (content->'journey'->>'priority')::int as priority from messages
            where workspace_id = $1 and profile_id = $2 and created_at > $3
              and status not in ('suppressed', 'failed') and not coalesce((content->'node'->>'transactional')::boolean, false)`,
    values: [workspaceId, profileId, new Date(now.getTime() - WEEK_MS)],
  });
  const stored = result.rows.map((r) => ({
    channel: r.channel,
    journeyId: r.journey_id,
    at: r.at.getTime(),
    priority: r.priority ?? 0,
  }));
  const queued = effects.outbox
    .filter((m) => m.profileId === profileId && m.suppressedReason === null && !m.transactional)
    .map((m) => ({
      channel: m.channel,
      journeyId: m.journeyId,
      at: now.getTime(),
      priority: Number((m.content.journey as { priority?: unknown } | undefined)?.priority ?? 0),
    }));
  return [...stored, ...queued];
}

/**
 * The guards of one send, reading history only when a cap or interval needs it: a workspace
 * with no caps pays no query per send.
 */
export async function guardSend(
  client: pg.PoolClient,
  send: SendRequest & { readonly workspaceId: string; readonly profileId: string },
  fact: ProfileFact,
  effects: Effects,
  policy: WorkspaceMessaging = defaultMessaging,
  now: Date,
): Promise<GuardDecision> {
  const needsHistory =
    !send.transactional &&
    (policy.caps[send.channel] !== undefined ||
      policy.minIntervalMs !== null ||
      send.journeyCap !== null ||
      Boolean(policy.priorityWindowMs));
  if (needsHistory) await lockSends(client, send.workspaceId, send.profileId, effects);
  const recent = needsHistory
    ? await recentMessages(client, send.workspaceId, send.profileId, effects, now)
    : [];
  const decision = evaluateGuards(send, recipientOf(fact, send.channel), recent, policy, now);
  const budget = policy.budget?.[send.channel];
  if (decision.send === false || send.transactional || budget === undefined) return decision;
  // Last, so that only a send every other guard let through spends the budget.
  return (await spendBudget(client, send.workspaceId, send.channel, budget.perDay, now))
    ? decision
    : {
        send: false,
        reason: 'budget_exceeded',
        detail: `the workspace's ${send.channel} budget of ${budget.perDay} a day (UTC) is spent`,
      };
}

/**
 * Takes one send from the workspace's daily budget for a channel: true when one was left. The
 * counter row stays locked until the runtime's transaction ends, so concurrent transactions
 * cannot both take the last send, and a rollback gives it back.
 */
async function spendBudget(
  client: pg.PoolClient,
  workspaceId: string,
  channel: string,
  perDay: number,
  now: Date,
): Promise<boolean> {
  if (perDay <= 0) return false;
  const result = await client.query({
    name: 'tl_rt_spend_budget',
    text: `insert into channel_budget_usage as u (workspace_id, channel, day, used)
           values ($1, $2, ($3::timestamptz at time zone 'UTC')::date, 1)
           on conflict (workspace_id, channel, day) do update set used = u.used + 1 where u.used < $4
           returning used`,
    values: [workspaceId, channel, now, perDay],
  });
  return (result.rowCount ?? 0) > 0;
}
