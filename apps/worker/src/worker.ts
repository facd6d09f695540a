import type { Db } from '@touchline/db';
import type { JourneyRuntime } from '@touchline/runtime';
import {
  type LogFunctionFactory,
  Logger,
  parseCrontab,
  type Runner,
  run,
  type TaskList,
} from 'graphile-worker';
import type pg from 'pg';
import type { Logger as PinoLogger } from 'pino';
import { createDelivery, type Delivery } from './delivery/delivery.js';
import { startDeliverySweep } from './delivery/sweep.js';
import { type TouchlineTask, toGraphileTask } from './task.js';
import { builtinTasks } from './tasks/index.js';

export interface WorkerOptions {
  db: Db;
  pool: pg.Pool;
  logger: PinoLogger;
  concurrency?: number;
  // biome-ignore lint/suspicious/noExplicitAny: tasks of any name
  tasks?: ReadonlyArray<TouchlineTask<any>>;
  pollInterval?: number;
  /** Runs journey timers; without it, `journey_wake` jobs are left to a worker that has one. */
  runtime?: JourneyRuntime;
  /** How messages are delivered; without it, every channel into the sandbox. Closed on stop. */
  delivery?: Delivery;
  /** How often an idle delivery sweep looks for due messages; 100 ms. */
  deliveryIdleMs?: number;
  /** Fault injection for crash tests (see the delivery sweep's `killAfter`). Never in production. */
  killAfter?: { statement: string; count: number } | undefined;
}

export interface TouchlineWorker {
  runner: Runner;
  /** Finishes the jobs in progress, then stops. */
  stop(): Promise<void>;
}

const crontab = parseCrontab(`
* * * * * journey_timers_promote
0 * * * * sessions_cleanup ?fill=1h
15 3 * * * rfm_recompute_all ?fill=1d
45 3 * * * ingest_rejections_cleanup ?fill=1d
`);

export async function startWorker(options: WorkerOptions): Promise<TouchlineWorker> {
  const taskList: TaskList = {};
  const delivery = options.delivery ?? createDelivery();
  for (const task of options.tasks ?? builtinTasks) {
    // With a runtime, its wake sweep (below) runs the journey waits, a thousand per transaction.
    if (options.runtime && task.name === 'journey_wake') continue;
    taskList[task.name] = toGraphileTask(task, options.db, options.runtime, delivery);
  }
  const runner = await run({
    pgPool: options.pool,
    taskList,
    parsedCronItems: crontab,
    concurrency: options.concurrency ?? 4,
    pollInterval: options.pollInterval ?? 2000,
    // Jobs fetched (and completed) in batches rather than one statement each: wakes and deliveries
    // come by thousands, and each is short. A crash leaves the batch locked; the runtime's overdue
    // check queues such waits and messages again.
    preset: {
      worker: { localQueue: { size: Math.max(2, (options.concurrency ?? 4) * 4) }, completeJobBatchDelay: 0 },
    },
    noHandleSignals: true,
    logger: graphileLogger(options.logger),
  });
  // Due journey waits are taken off the queue by the runtime itself, many per transaction.
  const stopWakeSweep = options.runtime?.startWakeSweep();
  // Queued messages are found by their due time, many per transaction (`message_deliver` jobs
  // remain for what the sweep hands over: see delivery/sweep.ts).
  const stopDeliverySweep = startDeliverySweep({
    db: options.db,
    pool: options.pool,
    delivery,
    logger: options.logger,
    killAfter: options.killAfter,
    ...(options.deliveryIdleMs !== undefined ? { idleMs: options.deliveryIdleMs } : {}),
  });
  let stopping: Promise<void> | undefined;
  return {
    runner,
    stop() {
      stopping ??= Promise.all([stopWakeSweep?.() ?? Promise.resolve(), stopDeliverySweep()])
        .then(() => runner.stop())
        .then(() => delivery.adapters.close());
      return stopping;
    },
  };
}

function graphileLogger(logger: PinoLogger): Logger {
  const factory: LogFunctionFactory = (scope) => (level, message, meta) => {
    const child = logger.child({ worker: scope.workerId, task: scope.taskIdentifier, job: scope.jobId });
    const method =
      level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'info' ? 'info' : 'debug';
    child[method](meta ?? {}, message);
  };
  return new Logger(factory);
}
