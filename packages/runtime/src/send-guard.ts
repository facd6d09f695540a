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
    // The suppression list (bounces, complaints) comes with delivery status webhooks.
    suppressedAddress: false,
    timezone: fact.timezone,
  };
}

/** Marketing messages of the last week, and those this transaction has queued so far. */
async function recentMessages(
  client: pg.PoolClient,
  workspaceId: string,
  profileId: string,
  effects: Effects,
  now: Date,
): Promise<SentMessage[]> {
  const result = await client.query<{ channel: string; journey_id: string | null; at: Date }>({
    name: 'tl_rt_recent_messages',
    text: `select channel, journey_id, created_at as at from messages
            where workspace_id = $1 and profile_id = $2 and created_at > $3
              and status not in ('suppressed', 'failed') and not coalesce((content->'node'->>'transactional')::boolean, false)`,
    values: [workspaceId, profileId, new Date(now.getTime() - WEEK_MS)],
  });
  const stored = result.rows.map((r) => ({
    channel: r.channel,
    journeyId: r.journey_id,
    at: r.at.getTime(),
  }));
  const queued = effects.outbox
    .filter((m) => m.profileId === profileId && m.suppressedReason === null && !m.transactional)
    .map((m) => ({ channel: m.channel, journeyId: m.journeyId, at: now.getTime() }));
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
    (policy.caps[send.channel] !== undefined || policy.minIntervalMs !== null || send.journeyCap !== null);
  const recent = needsHistory
    ? await recentMessages(client, send.workspaceId, send.profileId, effects, now)
    : [];
  return evaluateGuards(send, recipientOf(fact, send.channel), recent, policy, now);
}
