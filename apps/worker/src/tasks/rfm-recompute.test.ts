import { createWorkspace } from '@touchline/db';
import { enqueue } from '@touchline/jobs';
import { createTestDatabase, type TestDatabase } from '@touchline/testing';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TouchlineTask } from '../task.js';
import { startWorker, type TouchlineWorker } from '../worker.js';
import { rfmRecomputeAll } from './rfm-recompute-all.js';

describe('RFM tasks', () => {
  let database: TestDatabase;
  let worker: TouchlineWorker | undefined;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await database.drop();
  });

  // biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of tasks, as builtinTasks
  async function start(tasks?: ReadonlyArray<TouchlineTask<any>>) {
    worker = await startWorker({
      db: database.db,
      pool: database.pool,
      logger: pino({ level: 'silent' }),
      pollInterval: 100,
      ...(tasks ? { tasks } : {}),
    });
  }

  async function until(predicate: () => Promise<boolean>, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A shop with a best customer and a one-time buyer of last year. */
  async function shop(name: string): Promise<string> {
    const { id } = await createWorkspace(database.db, name);
    const day = 86_400_000;
    await database.db
      .insertInto('profiles')
      .values([
        {
          workspace_id: id,
          user_id: 'best',
          orders_count: 9,
          lifetime_value: 1200,
          last_order_at: new Date(Date.now() - day),
        },
        {
          workspace_id: id,
          user_id: 'once',
          orders_count: 1,
          lifetime_value: 40,
          last_order_at: new Date(Date.now() - 365 * day),
        },
        { workspace_id: id, user_id: 'browser' },
      ])
      .execute();
    return id;
  }

  async function scoresOf(workspaceId: string) {
    const rows = await database.db
      .selectFrom('profiles')
      .select(['user_id', 'rfm_recency', 'rfm_frequency', 'rfm_monetary'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('user_id')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.user_id, [r.rfm_recency, r.rfm_frequency, r.rfm_monetary]]));
  }
  const expected = { best: [5, 5, 5], browser: [null, null, null], once: [1, 1, 1] };

  it('rfm_recompute scores one workspace when the worker runs it', async () => {
    const workspaceId = await shop('shop');
    const other = await shop('other');
    await start();
    await enqueue(database.db, 'rfm_recompute', { workspaceId });
    await until(async () => (await scoresOf(workspaceId)).best?.[0] !== null);
    expect(await scoresOf(workspaceId)).toEqual(expected);
    expect((await scoresOf(other)).best).toEqual([null, null, null]);
  });

  it('rfm_recompute_all fans out to every workspace, and each gets its scores', async () => {
    const workspaces = [await shop('one'), await shop('two'), await shop('three')];
    await start();
    await enqueue(database.db, 'rfm_recompute_all', {});
    for (const workspaceId of workspaces) {
      await until(async () => (await scoresOf(workspaceId)).best?.[0] !== null);
      expect(await scoresOf(workspaceId)).toEqual(expected);
    }
  });

  it('queues a workspace once even when the daily run comes again before its job started', async () => {
    const workspaces = [await shop('one'), await shop('two')];
    // Only the fan-out runs: the per-workspace jobs stay queued, as behind a slow workspace.
    await start([rfmRecomputeAll]);
    await enqueue(database.db, 'rfm_recompute_all', {});
    await enqueue(database.db, 'rfm_recompute_all', {});
    const queued = async () =>
      (
        await sql<{ key: string | null }>`
          select j.key from graphile_worker._private_jobs j
            join graphile_worker._private_tasks t on t.id = j.task_id
           where t.identifier = 'rfm_recompute'`.execute(database.db)
      ).rows;
    const fanOutsDone = async () =>
      (
        await sql<{ n: number }>`
          select count(*)::int as n from graphile_worker._private_jobs j
            join graphile_worker._private_tasks t on t.id = j.task_id
           where t.identifier = 'rfm_recompute_all'`.execute(database.db)
      ).rows[0]?.n === 0;
    await until(fanOutsDone);
    expect((await queued()).map((j) => j.key).sort()).toEqual(workspaces.map((id) => `rfm:${id}`).sort());
  });
});
