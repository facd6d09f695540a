import type { Db } from '@touchline/db';
import { sql } from 'kysely';

/** What a webhook message with `saveResponseAs` carries (written by the runtime with the send). */
export interface AwaitedResponse {
  readonly enrollmentId: string;
  readonly nodeId: string;
  readonly visit: number;
  readonly saveAs: string;
}

export function awaitedResponseOf(content: Record<string, unknown>): AwaitedResponse | null {
  const awaited = content.awaitResponse as Partial<AwaitedResponse> | undefined;
  if (
    !awaited ||
    typeof awaited.enrollmentId !== 'string' ||
    typeof awaited.nodeId !== 'string' ||
    typeof awaited.visit !== 'number' ||
    typeof awaited.saveAs !== 'string'
  ) {
    return null;
  }
  return awaited as AwaitedResponse;
}

/**
 * Hands a webhook's answer to the enrollment parked at its node: the JSON (when there is one)
 * goes into the enrollment's `context.variables[saveAs]`, and the node's wake job is moved to now
 * (graphile-worker `add_job` in `replace` mode on the step's key; a timer still far off in
 * `journey_timers` is dropped), so the runtime moves the enrollment on by `out` and later
 * conditions read `journey.variables.<saveAs>`. Nothing happens when the enrollment is no
 * longer waiting at that step (it timed out, exited, or a journey change moved it): the answer
 * came too late for it. Called with `null` after a failed delivery, to stop the wait early.
 */
export async function resumeAfterWebhook(
  db: Db,
  workspaceId: string,
  awaited: AwaitedResponse,
  answer: { json: unknown } | null,
): Promise<boolean> {
  const { enrollmentId, nodeId, visit, saveAs } = awaited;
  const { rows } = await sql<{ job: string }>`
    with waiting as (
      select id from enrollments
       where workspace_id = ${workspaceId}::uuid and id = ${enrollmentId}::uuid and status = 'waiting'
         and current_node = ${nodeId} and current_visit = ${visit}
         for update
    ),
    saved as (
      update enrollments e
         set context = jsonb_set(e.context, '{variables}',
                                 coalesce(e.context->'variables', '{}'::jsonb)
                                   || jsonb_build_object(${saveAs}::text, ${answer ? JSON.stringify(answer.json) : null}::jsonb)),
             updated_at = now()
        from waiting w
       where e.workspace_id = ${workspaceId}::uuid and e.id = w.id and ${answer !== null}
       returning e.id
    ),
    timer as (
      delete from journey_timers t using waiting w
       where t.workspace_id = ${workspaceId}::uuid and t.enrollment_id = w.id and t.node_id = ${nodeId}
         and t.visit = ${visit}
       returning t.enrollment_id
    )
    select (graphile_worker.add_job(
        'journey_wake',
        json_build_object('w', ${workspaceId}::uuid, 'e', w.id, 'n', ${nodeId}::text, 'v', ${visit}::int),
        run_at => now(),
        job_key => ${`wake:${enrollmentId}:${nodeId}:${visit}`},
        job_key_mode => 'replace'
      )).id::text as job
      from waiting w`.execute(db);
  // The saving and timer statements run whether or not read (data-modifying WITH).
  return rows.length > 0;
}
