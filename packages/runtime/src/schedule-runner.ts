import type pg from 'pg';
import type { DecideOptions } from './decide.js';
import type { RoutingIndex } from './routing.js';
import { planTick, type ScheduleTrigger } from './schedule.js';
import {
  audienceOf,
  audiencePage,
  audienceTimezones,
  type DirectEntry,
  decideDirectEntries,
} from './schedule-entry.js';
import { EntryConflict, writeEffects } from './store.js';

/** One run of a journey's schedule job: the window since the last run, and the `every` anchor. */
export interface ScheduleTick {
  readonly workspaceId: string;
  readonly journeyId: string;
  readonly from: string;
  readonly anchor: string;
}

/** What enrolling needs from the runtime: its clock, transactions and decision options. */
export interface EntryDeps {
  readonly horizonMs: number;
  readonly now: () => Date;
  readonly transaction: <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>;
  readonly decideOptions: (history: ReadonlyArray<{ journeyId: string; profileId: string }>) => DecideOptions;
}

export interface ScheduleDeps extends EntryDeps {
  readonly pool: pg.Pool;
  readonly index: RoutingIndex;
  readonly pageSize: number;
  readonly segment: (workspaceId: string, segmentId: string) => Promise<unknown>;
  readonly warn: (object: object, message: string) => void;
}

export const scheduleJobKey = (journeyId: string) => `schedule:${journeyId}`;

const addTick = (client: pg.Pool | pg.PoolClient, tick: ScheduleTick, runAt: Date, mode: string) =>
  client.query(
    `select graphile_worker.add_job('journey_schedule',
       json_build_object('w', $1::uuid, 'j', $2::uuid, 'from', $3::text, 'anchor', $4::text),
       run_at => $5::timestamptz, job_key => $6, job_key_mode => $7)`,
    [tick.workspaceId, tick.journeyId, tick.from, tick.anchor, runAt, scheduleJobKey(tick.journeyId), mode],
  );

/**
 * Gives every live journey entered on a schedule its job, unless it has one: at start-up and
 * after each change of the live journeys. A journey just published or resumed starts counting
 * from now, so a pause is not caught up.
 */
export async function ensureScheduleJobs(pool: pg.Pool, index: RoutingIndex, now: Date): Promise<void> {
  for (const routed of index.scheduled) {
    const at = now.toISOString();
    await addTick(
      pool,
      { workspaceId: routed.workspaceId, journeyId: routed.journeyId, from: at, anchor: at },
      now,
      'unsafe_dedupe',
    );
  }
}

/**
 * Runs one tick: enrolls who is due, page by page (each page its own transaction, so a large
 * audience never holds one long transaction), then schedules the next tick. A crash part-way
 * leaves the job to be retried with the same window: pages already committed enroll nobody again.
 */
export async function runScheduleTick(tick: ScheduleTick, deps: ScheduleDeps): Promise<{ entered: number }> {
  const routed = deps.index.current(tick.workspaceId, tick.journeyId);
  // Paused, archived or no longer on a schedule: the job ends; resuming gives it a new one.
  if (routed?.journeyStatus !== 'live' || routed.compiled.trigger.kind !== 'schedule') return { entered: 0 };
  const trigger = routed.compiled.trigger as ScheduleTrigger;
  const audience = audienceOf(trigger.segmentId, await deps.segment(tick.workspaceId, trigger.segmentId));
  const now = deps.now();
  let entered = 0;
  if (audience === null) {
    deps.warn(
      { journeyId: tick.journeyId, segmentId: trigger.segmentId },
      'schedule trigger over a condition segment: segment evaluation is not built yet; nobody enrolled',
    );
  }
  const timezones =
    audience && trigger.timezone === 'profile' && trigger.cron !== null
      ? await audienceTimezones(deps.pool, tick.workspaceId, audience)
      : [];
  const plan = planTick(
    trigger,
    { from: Date.parse(tick.from), now: now.getTime(), anchor: Date.parse(tick.anchor) },
    timezones,
  );
  for (const group of audience ? plan.due : []) {
    let after: string | null = null;
    for (;;) {
      const page: string[] = await audiencePage(
        deps.pool,
        tick.workspaceId,
        audience as NonNullable<typeof audience>,
        group.timezone,
        after,
        deps.pageSize,
      );
      if (page.length === 0) break;
      const entry = { key: `schedule:${group.occurrence}`, facts: { schedule: group.occurrence } };
      entered += await enrollProfiles(deps, routed, page, entry);
      after = page[page.length - 1] as string;
      if (page.length < deps.pageSize) break;
    }
  }
  if (plan.next !== null) {
    await addTick(deps.pool, { ...tick, from: now.toISOString() }, plan.next, 'replace');
  }
  return { entered };
}

/** Enrolls profiles in one transaction (see decideDirectEntries); returns how many entered. */
export async function enrollProfiles(
  deps: EntryDeps,
  routed: NonNullable<ReturnType<RoutingIndex['current']>>,
  page: readonly string[],
  entry: DirectEntry,
): Promise<number> {
  const history: Array<{ journeyId: string; profileId: string }> = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.transaction(async (client) => {
        const decided = await decideDirectEntries(client, routed, page, entry, deps.decideOptions(history));
        await writeEffects(client, decided.effects, {
          horizonMs: deps.horizonMs,
          now: deps.now(),
          statement: 'tl_rt_write_entries',
        });
        return decided.entered;
      });
    } catch (error) {
      // An earlier run of the same cause (or an event) enrolled some of them first: read their history.
      if (error instanceof EntryConflict && attempt < 6) {
        history.push(...error.pairs);
        continue;
      }
      throw error;
    }
  }
}
