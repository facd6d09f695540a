import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';

/**
 * Journey-wide changes to enrollments, made by the admin API in the same transaction as the
 * journey's status change. Per-event work is the runtime's (packages/runtime).
 */

/** The job key of an enrollment's current wait, as the runtime writes it. */
const wakeKey = sql`'wake:' || e.id || ':' || e.current_node || ':' || e.current_visit`;

/** Ends every running enrollment of a journey (archive) and drops their timers. */
export async function exitRunningEnrollments(
  db: DbOrTrx,
  workspaceId: string,
  journeyId: string,
  reason: string,
): Promise<number> {
  const result = await sql<{ n: number }>`
    with ended as (
      update enrollments e
         set status = 'exited', ended_at = now(), end_reason = ${reason}, updated_at = now(),
             entry_slot = case when e.entry_slot = 'running' then null else e.entry_slot end,
             wait = null, wake_at = null, held = false
       where e.workspace_id = ${workspaceId} and e.journey_id = ${journeyId} and e.status in ('active', 'waiting')
      returning e.id, e.current_node, e.current_visit, e.workspace_id
    ),
    timers as (
      delete from journey_timers t using ended e
       where t.workspace_id = e.workspace_id and t.enrollment_id = e.id
    ),
    jobs as (select graphile_worker.remove_job(${wakeKey}) from ended e where e.current_node is not null)
    select (select count(*) from ended)::int as n, (select count(*) from jobs) as removed`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/**
 * Moves running enrollments to a new version: those at a node that exists in it with the same
 * type (a wait stays a wait of the same kind); the others finish on their version.
 */
export async function moveRunningEnrollments(
  db: DbOrTrx,
  workspaceId: string,
  journeyId: string,
  version: number,
  nodeTypes: Readonly<Record<string, string>>,
): Promise<number> {
  const result = await sql<{ n: number }>`
    with moved as (
      update enrollments e set journey_version = ${version}, updated_at = now()
        from journey_versions v
       where e.workspace_id = ${workspaceId} and e.journey_id = ${journeyId}
         and e.status in ('active', 'waiting') and e.journey_version <> ${version}
         and v.workspace_id = e.workspace_id and v.journey_id = e.journey_id and v.version = e.journey_version
         and v.compiled -> 'nodes' -> e.current_node ->> 'type' = ${JSON.stringify(nodeTypes)}::jsonb ->> e.current_node
      returning 1
    )
    select count(*)::int as n from moved`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/** Timers that fired while the journey was paused: queued again to run now. */
export async function releaseHeldEnrollments(
  db: DbOrTrx,
  workspaceId: string,
  journeyId: string,
): Promise<number> {
  const result = await sql<{ n: number }>`
    with released as (
      update enrollments e set held = false, updated_at = now()
       where e.workspace_id = ${workspaceId} and e.journey_id = ${journeyId} and e.held and e.status = 'waiting'
      returning e.workspace_id, e.id, e.current_node, e.current_visit
    ),
    added as (
      select graphile_worker.add_jobs(array(
        select row('journey_wake', json_build_object('w', e.workspace_id, 'e', e.id, 'n', e.current_node,
                   'v', e.current_visit), null, now(), null, ${wakeKey}, null, null)::graphile_worker.job_spec
          from released e))
       where exists (select 1 from released)
    )
    select (select count(*) from released)::int as n, (select count(*) from added) as a`.execute(db);
  return result.rows[0]?.n ?? 0;
}

export interface NodeStatsRow {
  node_id: string;
  port: string | null;
  steps: number;
}

/** Per node and port: how many steps (entered = all of a node's rows; left by port). */
export async function journeyStepCounts(
  db: DbOrTrx,
  workspaceId: string,
  journeyId: string,
  version: number | null,
): Promise<NodeStatsRow[]> {
  const result = await sql<NodeStatsRow>`
    select node_id, port, count(*)::int as steps
      from enrollment_steps
     where workspace_id = ${workspaceId} and journey_id = ${journeyId}
       and (${version}::int is null or journey_version = ${version}::int)
     group by node_id, port`.execute(db);
  return result.rows;
}

export interface EnrollmentTotalsRow {
  status: string;
  current_node: string | null;
  converted: number;
  n: number;
}

/** Enrollments by status and (for waiting ones) node. */
export async function journeyEnrollmentCounts(
  db: DbOrTrx,
  workspaceId: string,
  journeyId: string,
  version: number | null,
): Promise<EnrollmentTotalsRow[]> {
  const result = await sql<EnrollmentTotalsRow>`
    select status, case when status = 'waiting' then current_node end as current_node,
           count(*) filter (where converted_at is not null)::int as converted, count(*)::int as n
      from enrollments
     where workspace_id = ${workspaceId} and journey_id = ${journeyId}
       and (${version}::int is null or journey_version = ${version}::int)
     group by 1, 2`.execute(db);
  return result.rows;
}

export interface EnrollmentStepRow {
  enrollment_id: string;
  node_id: string;
  visit: number;
  type: string;
  port: string | null;
  rule: string | null;
  reason: string | null;
  facts: unknown;
  entered_at: Date;
  left_at: Date | null;
}

/** The step log of some enrollments, in the order they happened. */
export async function listEnrollmentSteps(
  db: DbOrTrx,
  workspaceId: string,
  enrollmentIds: readonly string[],
): Promise<EnrollmentStepRow[]> {
  if (enrollmentIds.length === 0) return [];
  // In the order the steps were taken (`seq`, 0005): one transaction's steps share one instant.
  return db
    .selectFrom('enrollment_steps')
    .select([
      'enrollment_id',
      'node_id',
      'visit',
      'type',
      'port',
      'rule',
      'reason',
      'facts',
      'entered_at',
      'left_at',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('enrollment_id', 'in', enrollmentIds)
    .orderBy('enrollment_id')
    .orderBy(sql`seq`)
    .execute() as Promise<EnrollmentStepRow[]>;
}
