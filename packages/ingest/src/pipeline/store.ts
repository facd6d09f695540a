import type pg from 'pg';
import type { IngestEvent } from '../spec/normalize.js';
import {
  type IdentityKey,
  type IdentityKind,
  type IdentityPlan,
  identityKey,
  type KnownIdentity,
} from './identities.js';
import type { ProfileChanges } from './profile-updates.js';

/**
 * The SQL of one ingestion group. Every statement takes whole columns as arrays (unnest), so a
 * group of a thousand events costs a handful of round trips; every row names its workspace.
 * Statements are named, so PostgreSQL plans each once per connection.
 */

/** A concurrent writer got there first (a profile, an identity, a merge): retry the group. */
export class IngestConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestConflict';
  }
}

export async function loadIdentities(
  client: pg.PoolClient,
  keys: readonly IdentityKey[],
): Promise<KnownIdentity[]> {
  if (keys.length === 0) return [];
  const result = await client.query<{
    workspace_id: string;
    kind: KnownIdentity['kind'];
    value: string;
    profile_id: string;
    user_id: string | null;
  }>({
    name: 'tl_ingest_load_identities',
    text: `select i.workspace_id, i.kind, i.value, i.profile_id, p.user_id
             from unnest($1::uuid[], $2::text[], $3::text[]) as k(workspace_id, kind, value)
             join profile_identities i
               on i.workspace_id = k.workspace_id and i.kind = k.kind and i.value = k.value
             join profiles p on p.workspace_id = i.workspace_id and p.id = i.profile_id`,
    values: [keys.map((k) => k.workspaceId), keys.map((k) => k.kind), keys.map((k) => k.value)],
  });
  return result.rows.map((r) => ({
    workspaceId: r.workspace_id,
    kind: r.kind,
    value: r.value,
    profileId: r.profile_id,
    profileUserId: r.user_id,
  }));
}

/**
 * Carries out an identity plan. Another writer (a second group in flight, another server) may
 * have created the same new person a moment ago; that is not an error to retry but a fact to
 * adopt: the plan's new profile is replaced by the stored one. Returns that replacement map, so
 * the caller can point the group's events at the profiles that really hold them.
 *
 * Order matters: new profiles, then merges (a loser gives up its user id before the survivor may
 * take it), then user ids, then identities.
 */
export async function applyIdentityPlan(
  client: pg.PoolClient,
  plan: IdentityPlan,
): Promise<Map<string, string>> {
  const adopted = new Map<string, string>();
  if (plan.newProfiles.length > 0) {
    const seen = plan.newProfiles.map((p) => p.seenAt.toISOString());
    const inserted = await client.query<{ id: string }>({
      name: 'tl_ingest_new_profiles',
      text: `insert into profiles (workspace_id, id, user_id, first_seen_at, last_seen_at)
             select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $4::timestamptz[])
             on conflict (workspace_id, user_id) where user_id is not null do nothing
             returning id`,
      values: [
        plan.newProfiles.map((p) => p.workspaceId),
        plan.newProfiles.map((p) => p.id),
        plan.newProfiles.map((p) => p.userId),
        seen,
      ],
    });
    if (inserted.rows.length !== plan.newProfiles.length) {
      const created = new Set(inserted.rows.map((r) => r.id));
      const lost = plan.newProfiles.filter((p) => !created.has(p.id));
      const existing = await client.query<{ workspace_id: string; id: string; user_id: string }>({
        name: 'tl_ingest_profiles_by_user_id',
        text: `select p.workspace_id, p.id, p.user_id
                 from unnest($1::uuid[], $2::text[]) as u(workspace_id, user_id)
                 join profiles p on p.workspace_id = u.workspace_id and p.user_id = u.user_id`,
        values: [lost.map((p) => p.workspaceId), lost.map((p) => p.userId)],
      });
      const byUser = new Map(existing.rows.map((r) => [`${r.workspace_id}\u0001${r.user_id}`, r.id]));
      for (const p of lost) {
        const id = byUser.get(`${p.workspaceId}\u0001${p.userId}`);
        if (!id) throw new IngestConflict('a profile being created elsewhere vanished');
        adopted.set(p.id, id);
      }
    }
  }
  const actual = (id: string) => adopted.get(id) ?? id;

  for (const merge of plan.merges) await mergeProfiles(client, merge);

  if (plan.userIds.length > 0) {
    const result = await client.query({
      name: 'tl_ingest_set_user_ids',
      text: `update profiles p set user_id = u.user_id, updated_at = now()
               from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) as u(workspace_id, id, user_id, expected)
              where p.workspace_id = u.workspace_id and p.id = u.id and p.merged_into is null
                and p.user_id is not distinct from u.expected`,
      values: [
        plan.userIds.map((u) => u.workspaceId),
        plan.userIds.map((u) => u.profileId),
        plan.userIds.map((u) => u.userId),
        plan.userIds.map((u) => u.expected),
      ],
    });
    if (result.rowCount !== plan.userIds.length) {
      throw new IngestConflict('a profile changed user id or was merged meanwhile');
    }
  }

  if (plan.newIdentities.length > 0) {
    const identities = plan.newIdentities.map((i) => ({ ...i, profileId: actual(i.profileId) }));
    const result = await client.query<{ workspace_id: string; kind: IdentityKind; value: string }>({
      name: 'tl_ingest_new_identities',
      text: `insert into profile_identities (workspace_id, kind, value, profile_id)
             select * from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[])
             on conflict do nothing
             returning workspace_id, kind, value`,
      values: [
        identities.map((i) => i.workspaceId),
        identities.map((i) => i.kind),
        identities.map((i) => i.value),
        identities.map((i) => i.profileId),
      ],
    });
    if (result.rows.length !== identities.length) {
      // Someone linked these ids first. A brand-new anonymous profile of ours gives way to the
      // stored one; any other link stays where it is (as for a shared device).
      const linked = new Set(result.rows.map((r) => identityKey(r.workspace_id, r.kind, r.value)));
      const missed = identities.filter((i) => !linked.has(identityKey(i.workspaceId, i.kind, i.value)));
      const stored = await client.query<{
        workspace_id: string;
        kind: IdentityKind;
        value: string;
        profile_id: string;
      }>({
        name: 'tl_ingest_identities_stored',
        text: `select i.workspace_id, i.kind, i.value, i.profile_id
                 from unnest($1::uuid[], $2::text[], $3::text[]) as k(workspace_id, kind, value)
                 join profile_identities i
                   on i.workspace_id = k.workspace_id and i.kind = k.kind and i.value = k.value`,
        values: [missed.map((i) => i.workspaceId), missed.map((i) => i.kind), missed.map((i) => i.value)],
      });
      const holder = new Map(
        stored.rows.map((r) => [identityKey(r.workspace_id, r.kind, r.value), r.profile_id]),
      );
      const anonymousNew = new Set(
        plan.newProfiles.filter((p) => !p.userId && !adopted.has(p.id)).map((p) => p.id),
      );
      const orphans: string[] = [];
      for (const identity of missed) {
        const owner = holder.get(identityKey(identity.workspaceId, identity.kind, identity.value));
        if (!owner) throw new IngestConflict('an identity being linked elsewhere vanished');
        if (owner !== identity.profileId && anonymousNew.has(identity.profileId)) {
          adopted.set(identity.profileId, owner);
          orphans.push(identity.profileId);
        }
      }
      if (orphans.length > 0) {
        await client.query({
          name: 'tl_ingest_drop_orphans',
          text: 'delete from profiles where id = any($1::uuid[]) and user_id is null',
          values: [orphans],
        });
      }
    }
  }
  return adopted;
}

/**
 * One person, two profiles: everything the loser owns moves to the survivor (identities,
 * events, enrollments, messages), traits fill the survivor's gaps, order totals add up. The
 * loser stays as a tombstone pointing at the survivor. Both rows are locked first, in id
 * order, so a concurrent group either finishes before the merge or sees the tombstone and retries.
 */
async function mergeProfiles(
  client: pg.PoolClient,
  { workspaceId, loser, survivor, loserUserId }: IdentityPlan['merges'][number],
): Promise<void> {
  const locked = await client.query<{ id: string; user_id: string | null }>(
    `select id, user_id from profiles
      where workspace_id = $1 and id = any($2::uuid[]) and merged_into is null
      order by id for update`,
    [workspaceId, [loser, survivor]],
  );
  const lockedLoser = locked.rows.find((r) => r.id === loser);
  if (locked.rowCount !== 2 || lockedLoser?.user_id !== loserUserId) {
    throw new IngestConflict('a profile was merged or identified meanwhile');
  }
  const moveArgs = [workspaceId, loser, survivor];
  await client.query(
    'update profile_identities set profile_id = $3 where workspace_id = $1 and profile_id = $2',
    moveArgs,
  );
  await client.query(
    'update events set profile_id = $3 where workspace_id = $1 and profile_id = $2',
    moveArgs,
  );
  await client.query(
    'update enrollments set profile_id = $3, updated_at = now() where workspace_id = $1 and profile_id = $2',
    moveArgs,
  );
  await client.query(
    'update messages set profile_id = $3, updated_at = now() where workspace_id = $1 and profile_id = $2',
    moveArgs,
  );
  await client.query(
    `update profiles s set
        traits = l.traits || s.traits
          || case when jsonb_typeof(l.traits -> 'subscriptions') = 'object'
                   and jsonb_typeof(s.traits -> 'subscriptions') = 'object'
              then jsonb_build_object('subscriptions', (l.traits -> 'subscriptions') || (s.traits -> 'subscriptions'))
              else '{}'::jsonb end,
        email = coalesce(s.email, l.email),
        phone = coalesce(s.phone, l.phone),
        timezone = coalesce(s.timezone, l.timezone),
        locale = coalesce(s.locale, l.locale),
        push_tokens = (select coalesce(jsonb_agg(distinct t), '[]'::jsonb)
                         from jsonb_array_elements(s.push_tokens || l.push_tokens) as t),
        first_seen_at = least(s.first_seen_at, l.first_seen_at),
        last_seen_at = greatest(s.last_seen_at, l.last_seen_at),
        orders_count = s.orders_count + l.orders_count,
        lifetime_value = s.lifetime_value + l.lifetime_value,
        last_order_at = greatest(s.last_order_at, l.last_order_at),
        updated_at = now()
       from profiles l
      where s.workspace_id = $1 and s.id = $3 and l.workspace_id = $1 and l.id = $2`,
    moveArgs,
  );
  await client.query(
    `update profiles set merged_into = $3, user_id = null, updated_at = now()
      where workspace_id = $1 and id = $2`,
    moveArgs,
  );
}

const jsonString = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));
const jsonValue = (value: unknown) =>
  value === null || value === undefined ? 'null' : JSON.stringify(value);

/**
 * The group as one JSON document for jsonb_to_recordset. Built by concatenation: properties and
 * context are already JSON (serialised once, for the size limit), so they go in as they are,
 * with no second escaping pass (as an array parameter would need) on either side.
 */
export function eventsDocument(
  events: readonly IngestEvent[],
  profileOf: readonly string[],
  changes: readonly ProfileChanges[],
  routed?: readonly boolean[],
): string {
  const rows: string[] = new Array(events.length);
  // The events of one call share their receivedAt: format it once per call.
  let receivedAt: Date | undefined;
  let receivedIso = '';
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as IngestEvent;
    const c = changes[i] as ProfileChanges;
    if (e.receivedAt !== receivedAt) {
      receivedAt = e.receivedAt;
      receivedIso = receivedAt.toISOString();
    }
    rows[i] =
      `{"i":${i},"w":"${e.workspaceId}","m":${JSON.stringify(e.messageId)},"t":"${e.type}",` +
      `"e":${jsonString(e.event)},"pr":"${profileOf[i]}","u":${jsonString(e.userId)},` +
      `"a":${jsonString(e.anonymousId)},"p":${e.propertiesJson},"c":${e.contextJson},` +
      `"ts":"${e.timestamp === receivedAt ? receivedIso : e.timestamp.toISOString()}","ra":"${receivedIso}",` +
      `"tr":${jsonValue(c.traits)},"sb":${jsonValue(c.subscriptions)},"em":${jsonString(c.email)},` +
      `"ph":${jsonString(c.phone)},"tz":${jsonString(c.timezone)},"ctz":${jsonString(c.contextTimezone)},` +
      `"lc":${jsonString(c.locale)},"clc":${jsonString(c.contextLocale)},"tk":${jsonString(c.pushToken)},` +
      `"o":${c.order ? 1 : 0},"rv":${c.revenueCents}${routed?.[i] ? ',"jr":true' : ''}}`;
  }
  return `[${rows.join(',')}]`;
}

/**
 * Inserts the events and applies what the new ones change on their profiles, in ONE statement:
 * a repeated messageId is skipped by the insert, and only the rows the insert returned are folded
 * into the profile update (traits in arrival order, order totals summed, seen times spanned).
 * Alone, the statement is its own transaction: one round trip per group. If a profile was merged
 * away meanwhile, the statement aborts with 40001 and the group is retried.
 * Returns the indexes of the events that were new.
 */
export async function writeEvents(
  client: pg.PoolClient,
  events: readonly IngestEvent[],
  profileOf: readonly string[],
  changes: readonly ProfileChanges[],
  routed?: readonly boolean[],
): Promise<{ fresh: Set<number>; inbox: { ids: string[]; profileIds: string[] } }> {
  const result = await client.query<{
    fresh: number[] | null;
    inbox: string[] | null;
    inbox_profiles: string[] | null;
  }>({
    name: 'tl_ingest_write_events',
    text: `with e as (
             -- jsonb: a json document's nested values (properties, context, traits) were parsed
             -- twice, once by json's scanner and again into jsonb: the scan took 1.8× as long.
             select * from jsonb_to_recordset($1::jsonb) as e(
               i int, w uuid, m text, t text, e text, pr uuid, u text, a text, p jsonb, c jsonb,
               ts timestamptz, ra timestamptz, tr jsonb, sb jsonb, em text, ph text, tz text, ctz text,
               lc text, clc text, tk text, o int, rv bigint, jr boolean)
           ),
           ins as (
             insert into events (workspace_id, message_id, type, event, profile_id, user_id, anonymous_id,
                                 properties, context, timestamp, received_at)
             select w, m, t, e, pr, u, a, p, c, ts, ra from e
             on conflict (workspace_id, message_id) do nothing
             returning workspace_id, message_id, id
           ),
           fresh as (
             select e.*, ins.id as eid from e join ins on ins.workspace_id = e.w and ins.message_id = e.m
           ),
           -- Events a live journey may react to, handed to the runtime in this same transaction.
           inbox as (
             insert into journey_inbox (workspace_id, event_id, profile_id)
             select w, eid, pr from fresh where jr order by i
             returning id, profile_id
           ),
           -- What every new event says (seen times, orders): plain hash aggregates.
           changes as (
             select w, pr,
                    min(ts) as first_seen, max(ts) as last_seen,
                    sum(o) as orders, sum(rv) as revenue_cents,
                    max(ts) filter (where o = 1) as last_order_at,
                    -- Device timezone and locale only fill a profile that has none: any will do.
                    max(ctz) as context_timezone, max(clc) as context_locale,
                    max(tk) as push_token
               from fresh
              group by w, pr
              -- Rows are updated (and locked) in this order: the same in every concurrent group,
              -- so two groups touching the same people wait for each other instead of deadlocking.
              order by w, pr
           ),
           -- What identify calls say, in arrival order: only their (few) rows are sorted.
           said as materialized (
             select w, pr,
                    touchline_jsonb_merge(tr order by i) filter (where tr is not null) as traits,
                    touchline_jsonb_merge(sb order by i) filter (where sb is not null) as subscriptions,
                    (array_agg(em order by i desc) filter (where em is not null))[1] as email,
                    (array_agg(ph order by i desc) filter (where ph is not null))[1] as phone,
                    (array_agg(tz order by i desc) filter (where tz is not null))[1] as timezone,
                    (array_agg(lc order by i desc) filter (where lc is not null))[1] as locale
               from fresh
              where tr is not null or sb is not null or em is not null or ph is not null
                 or tz is not null or lc is not null
              group by w, pr
           ),
           updated as (
             update profiles p set
               first_seen_at = least(p.first_seen_at, u.first_seen),
               last_seen_at = greatest(p.last_seen_at, u.last_seen),
               traits = case when s.traits is null and s.subscriptions is null then p.traits
                 else p.traits || coalesce(s.traits, '{}'::jsonb)
                   || case when s.subscriptions is null then '{}'::jsonb
                      else jsonb_build_object('subscriptions',
                        case when jsonb_typeof(p.traits -> 'subscriptions') = 'object'
                             then p.traits -> 'subscriptions' else '{}'::jsonb end || s.subscriptions)
                      end
                 end,
               email = coalesce(s.email, p.email),
               phone = coalesce(s.phone, p.phone),
               timezone = coalesce(s.timezone, p.timezone, u.context_timezone),
               locale = coalesce(s.locale, p.locale, u.context_locale),
               push_tokens = case when u.push_token is null or p.push_tokens ? u.push_token then p.push_tokens
                 else (select coalesce(jsonb_agg(t), '[]'::jsonb) from (
                         select t from jsonb_array_elements_text(to_jsonb(u.push_token) || p.push_tokens) as t
                         limit 20) tokens)
                 end,
               orders_count = p.orders_count + u.orders,
               lifetime_value = p.lifetime_value + u.revenue_cents / 100.0,
               last_order_at = greatest(p.last_order_at, u.last_order_at),
               updated_at = now()
              from changes u
              left join said s on s.w = u.w and s.pr = u.pr
             where p.workspace_id = u.w and p.id = u.pr and p.merged_into is null
             returning 1
           )
           select touchline_assert_profiles_updated((select count(*) from updated), (select count(*) from changes)),
                  (select array_agg(i) from fresh) as fresh,
                  (select array_agg(id::text order by id) from inbox) as inbox,
                  (select array_agg(profile_id::text order by id) from inbox) as inbox_profiles`,
    values: [eventsDocument(events, profileOf, changes, routed)],
  });
  const row = result.rows[0];
  return {
    fresh: new Set(row?.fresh ?? []),
    inbox: { ids: row?.inbox ?? [], profileIds: row?.inbox_profiles ?? [] },
  };
}

export interface Rejection {
  workspaceId: string;
  messageId: string | null;
  type: string | null;
  reason: string;
  payload: string;
}

/** Events refused inside an accepted batch, kept for the workspace to see. */
export async function insertRejections(
  client: pg.PoolClient,
  rejections: readonly Rejection[],
): Promise<void> {
  if (rejections.length === 0) return;
  await client.query({
    name: 'tl_ingest_rejections',
    text: `insert into ingest_rejections (workspace_id, message_id, type, reason, payload)
           select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])`,
    values: [
      rejections.map((r) => r.workspaceId),
      rejections.map((r) => r.messageId),
      rejections.map((r) => r.type),
      rejections.map((r) => r.reason),
      rejections.map((r) => r.payload),
    ],
  });
}
