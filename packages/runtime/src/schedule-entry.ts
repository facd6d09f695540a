import type pg from 'pg';
import type { DecideOptions } from './decide.js';
import { Effects } from './effects.js';
import type { EnrollmentState } from './enrollment.js';
import { decideEntry } from './entry.js';
import { profileFact } from './facts.js';
import type { RoutedVersion } from './routing.js';
import { DEFAULT_TIMEZONE } from './schedule.js';
import { loadEnrollments, loadProfiles } from './store.js';
import { transitionEnv } from './transition-env.js';
import { enroll, type ProfileState } from './transitions.js';

/** Who a schedule trigger enrolls: every profile, or the user ids of a static segment. */
export type ScheduleAudience =
  | { readonly kind: 'all' }
  | { readonly kind: 'users'; readonly userIds: string[] };

/** The audience of a segment id (`all`, or a static list); null for a segment not evaluated yet. */
export function audienceOf(segmentId: string, definition: unknown): ScheduleAudience | null {
  if (segmentId === 'all') return { kind: 'all' };
  const segment = definition as { kind?: string; userIds?: unknown } | undefined;
  if (segment?.kind === 'static' && Array.isArray(segment.userIds)) {
    return { kind: 'users', userIds: segment.userIds.filter((id): id is string => typeof id === 'string') };
  }
  // Condition segments are evaluated by the segments work; until then a schedule over one waits.
  return null;
}

const isValidTimezone = (timeZone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
};

/** The timezones of the audience's profiles (unset reads as UTC; unknown zones are left out). */
export async function audienceTimezones(
  client: pg.Pool | pg.PoolClient,
  workspaceId: string,
  audience: ScheduleAudience,
): Promise<string[]> {
  const result = await client.query<{ timezone: string }>({
    name: 'tl_rt_schedule_timezones',
    text: `select distinct coalesce(timezone, $3) as timezone from profiles
            where workspace_id = $1 and ($2::text[] is null or user_id = any($2::text[]))`,
    values: [workspaceId, audience.kind === 'users' ? audience.userIds : null, DEFAULT_TIMEZONE],
  });
  return result.rows.map((r) => r.timezone).filter(isValidTimezone);
}

/** The next page of the audience's profile ids after `afterId`, in id order. */
export async function audiencePage(
  client: pg.Pool | pg.PoolClient,
  workspaceId: string,
  audience: ScheduleAudience,
  timezone: string | null,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const result = await client.query<{ id: string }>({
    name: 'tl_rt_schedule_page',
    text: `select id from profiles
            where workspace_id = $1 and ($2::text[] is null or user_id = any($2::text[]))
              and ($3::text is null or coalesce(timezone, $6) = $3)
              and ($4::uuid is null or id > $4::uuid)
            order by id limit $5`,
    values: [
      workspaceId,
      audience.kind === 'users' ? audience.userIds : null,
      timezone,
      afterId,
      limit,
      DEFAULT_TIMEZONE,
    ],
  });
  return result.rows.map((r) => r.id);
}

/** What enrolls profiles other than an event: a schedule occurrence, a segment change, an API call. */
export interface DirectEntry {
  /** Unique per cause: the same key never enrolls the same profile twice (`schedule:<occurrence>`). */
  readonly key: string;
  /** Kept in the trigger's step log as what started the enrollment. */
  readonly facts: Record<string, unknown>;
}

/**
 * Enrolls these profiles into the journey's current version, inside the caller's transaction:
 * the entry hook of schedule, segment and API triggers. The entry key names the cause, so the
 * same cause run again after a crash enrolls nobody twice; the re-entry policy decides as for an
 * event.
 */
export async function decideDirectEntries(
  client: pg.PoolClient,
  routed: RoutedVersion,
  profileIds: readonly string[],
  entry: DirectEntry,
  options: DecideOptions,
): Promise<{ effects: Effects; entered: number }> {
  const { workspaceId, journeyId } = routed;
  const effects = new Effects();
  const [sources, loaded] = await Promise.all([
    loadProfiles(client, workspaceId, profileIds),
    loadEnrollments(client, workspaceId, profileIds, [journeyId], options.history ?? []),
  ]);
  const { key } = entry;
  const earlierOf = new Map<string, EnrollmentState[]>();
  for (const enrollment of loaded) {
    const list = earlierOf.get(enrollment.profileId);
    if (list) list.push(enrollment);
    else earlierOf.set(enrollment.profileId, [enrollment]);
  }
  let entered = 0;
  for (const profileId of profileIds) {
    const source = sources.get(profileId);
    if (!source) continue;
    const now = options.now?.() ?? new Date();
    const decision = decideEntry(routed.compiled, earlierOf.get(profileId) ?? [], key, now);
    if (!decision.enter) continue;
    for (const holder of decision.release) {
      holder.entrySlot = null;
      effects.released.push(holder);
    }
    const profile: ProfileState = { workspaceId, profileId, fact: profileFact(source) };
    await enroll(
      routed,
      { slot: decision.slot, key, triggerEvent: null, triggerFacts: entry.facts },
      transitionEnv(client, profile, now, effects, options),
    );
    entered++;
  }
  return { effects, entered };
}
