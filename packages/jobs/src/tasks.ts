import { z } from 'zod';

/** What graphile-worker's crontab adds to the payload of a job it schedules. */
const cronPayload = z
  .object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional() })
  .strict();

/**
 * Every background task and the payload it takes. The server enqueues with these types and the
 * worker decodes with these schemas, so the two cannot drift apart.
 */
export const taskPayloads = {
  /** Deletes rejected-event records older than 30 days. Runs daily from the worker's crontab. */
  ingest_rejections_cleanup: cronPayload,
  /** Moves journey waits coming due from `journey_timers` into the queue. Runs every minute. */
  journey_timers_promote: cronPayload,
  /**
   * A journey wait ends: the enrollment step (workspace, enrollment, node, visit) moves on by its
   * timer or timeout port, unless an event moved it on first. Job key: `wake:<e>:<n>:<v>`.
   */
  journey_wake: z.object({ w: z.uuid(), e: z.uuid(), n: z.string().min(1), v: z.int().min(1) }).strict(),
  /**
   * A journey entered on a schedule runs: it enrolls who is due in (from, now] and schedules its
   * next run. `anchor` is when the schedule started (for `every`). Job key: `schedule:<j>`.
   */
  journey_schedule: z
    .object({ w: z.uuid(), j: z.uuid(), from: z.iso.datetime(), anchor: z.iso.datetime() })
    .strict(),
  /** Delivers one outbox message. Job key: `deliver:<messageId>`. */
  message_deliver: z.object({ workspaceId: z.uuid(), messageId: z.uuid() }).strict(),
  /** Recomputes the RFM scores of one workspace's profiles. */
  rfm_recompute: z.object({ workspaceId: z.uuid() }).strict(),
  /** Enqueues one `rfm_recompute` per workspace. Runs daily from the worker's crontab. */
  rfm_recompute_all: cronPayload,
  /** Deletes expired editor sessions. Runs hourly from the worker's crontab. */
  sessions_cleanup: cronPayload,
  /** A no-op used by health checks and tests to prove the worker is consuming jobs. */
  system_ping: z.object({ token: z.string().min(1).max(200) }).strict(),
} as const;

export type TaskName = keyof typeof taskPayloads;
export type TaskPayload<T extends TaskName> = z.infer<(typeof taskPayloads)[T]>;

export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(taskPayloads, name);
}

export function parseTaskPayload<T extends TaskName>(name: T, payload: unknown): TaskPayload<T> {
  return taskPayloads[name].parse(payload) as TaskPayload<T>;
}
