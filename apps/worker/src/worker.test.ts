import { enqueue, enqueueMany } from '@touchline/jobs';
import { createTestDatabase, type TestDatabase } from '@touchline/testing';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineTask } from './task.js';
import { startWorker, type TouchlineWorker } from './worker.js';

describe('worker', () => {
  let database: TestDatabase;
  let worker: TouchlineWorker | undefined;
  const seen: string[] = [];
  const ping = defineTask('system_ping', async ({ token }) => {
    seen.push(token);
  });

  beforeEach(async () => {
    seen.length = 0;
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await database.drop();
  });

  async function start() {
    worker = await startWorker({
      db: database.db,
      pool: database.pool,
      logger: pino({ level: 'silent' }),
      tasks: [ping],
      pollInterval: 100,
    });
  }

  async function until(predicate: () => boolean, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('runs a job enqueued in a committed transaction, and never one whose transaction rolled back', async () => {
    await start();
    await database.db
      .transaction()
      .execute(async (trx) => {
        await enqueue(trx, 'system_ping', { token: 'rolled-back' });
        throw new Error('abort');
      })
      .catch(() => {});
    await database.db.transaction().execute((trx) => enqueue(trx, 'system_ping', { token: 'committed' }));
    await until(() => seen.includes('committed'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual(['committed']);
  });

  it('keeps one job per job key', async () => {
    await enqueue(
      database.db,
      'system_ping',
      { token: 'first' },
      { jobKey: 'k', runAt: new Date(Date.now() + 60_000) },
    );
    await enqueue(
      database.db,
      'system_ping',
      { token: 'second' },
      { jobKey: 'k', runAt: new Date(Date.now() + 60_000) },
    );
    const rows = await sql<{
      payload: { token: string };
    }>`select payload from graphile_worker._private_jobs`.execute(database.db);
    expect(rows.rows.map((r) => r.payload.token)).toEqual(['second']);
  });

  it('adds a batch of jobs in one statement and runs them all', async () => {
    await enqueueMany(
      database.db,
      Array.from({ length: 50 }, (_, i) => ({ task: 'system_ping' as const, payload: { token: `t${i}` } })),
    );
    await start();
    await until(() => seen.length === 50);
    expect(new Set(seen).size).toBe(50);
  });

  it('rejects a payload that does not match its task schema before it reaches the queue', async () => {
    // @ts-expect-error the payload is wrong on purpose
    await expect(enqueue(database.db, 'system_ping', { token: 42 })).rejects.toThrow(/token/);
  });
});
