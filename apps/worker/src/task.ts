import type { Db } from '@touchline/db';
import { parseTaskPayload, type TaskName, type TaskPayload } from '@touchline/jobs';
import type { JourneyRuntime } from '@touchline/runtime';
import type { JobHelpers, Task } from 'graphile-worker';
import type { Delivery } from './delivery/delivery.js';

export interface TaskContext {
  db: Db;
  helpers: JobHelpers;
  /** The journey runtime of this process (absent in a worker started without one). */
  runtime: JourneyRuntime | undefined;
  /** Channel adapters, compiled templates and tracking links, for `message_deliver`. */
  delivery: Delivery;
}

export interface TouchlineTask<T extends TaskName = TaskName> {
  name: T;
  run(payload: TaskPayload<T>, context: TaskContext): Promise<void>;
}

/**
 * A task decodes its payload with the shared schema and calls domain code. It throws on failure
 * and graphile-worker retries it with backoff.
 */
export function defineTask<T extends TaskName>(
  name: T,
  run: (payload: TaskPayload<T>, context: TaskContext) => Promise<void>,
): TouchlineTask<T> {
  return { name, run };
}

export function toGraphileTask<T extends TaskName>(
  task: TouchlineTask<T>,
  db: Db,
  runtime: JourneyRuntime | undefined,
  delivery: Delivery,
): Task {
  return async (payload, helpers) => {
    await task.run(parseTaskPayload(task.name, payload), { db, helpers, runtime, delivery });
  };
}
