import type { DbOrTrx } from '@touchline/db';
import { sql } from 'kysely';
import { type TaskName, type TaskPayload, taskPayloads } from './tasks.js';

export interface JobOptions {
  runAt?: Date;
  /** Makes the add idempotent: a second add with the same key replaces (or keeps) the first. */
  jobKey?: string;
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
  queueName?: string;
  maxAttempts?: number;
  priority?: number;
}

export interface JobSpec<T extends TaskName = TaskName> extends JobOptions {
  task: T;
  payload: TaskPayload<T>;
}

/**
 * Enqueues a job through graphile-worker's SQL API, so a job can be added in the same
 * transaction as the state change that needs it: both commit, or neither does.
 */
export async function enqueue<T extends TaskName>(
  db: DbOrTrx,
  task: T,
  payload: TaskPayload<T>,
  options: JobOptions = {},
): Promise<void> {
  const checked = taskPayloads[task].parse(payload);
  await sql`select graphile_worker.add_job(
    identifier => ${task},
    payload => ${JSON.stringify(checked)}::json,
    queue_name => ${options.queueName ?? null},
    run_at => ${options.runAt ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? null}::int,
    job_key => ${options.jobKey ?? null},
    priority => ${options.priority ?? null}::int,
    job_key_mode => ${options.jobKeyMode ?? null}
  )`.execute(db);
}

/** Enqueues many jobs in one statement (graphile-worker's `add_jobs`). */
export async function enqueueMany(db: DbOrTrx, jobs: readonly JobSpec[]): Promise<void> {
  if (jobs.length === 0) return;
  const specs = jobs.map((job) => ({
    identifier: job.task,
    payload: taskPayloads[job.task].parse(job.payload),
    queue_name: job.queueName ?? null,
    run_at: job.runAt?.toISOString() ?? null,
    max_attempts: job.maxAttempts ?? null,
    job_key: job.jobKey ?? null,
    priority: job.priority ?? null,
  }));
  await sql`select graphile_worker.add_jobs(
    array(select json_populate_recordset(null::graphile_worker.job_spec, ${JSON.stringify(specs)}::json))
  )`.execute(db);
}
