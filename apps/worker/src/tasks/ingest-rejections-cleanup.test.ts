import { createWorkspace } from '@touchline/db';
import { enqueue } from '@touchline/jobs';
import { createTestDatabase, type TestDatabase } from '@touchline/testing';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorker, type TouchlineWorker } from '../worker.js';

describe('ingest_rejections_cleanup', () => {
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

  it('deletes the rejections older than 30 days, in every workspace, and keeps the recent ones', async () => {
    const day = 86_400_000;
    const rows = [];
    for (const name of ['one', 'two']) {
      const { id } = await createWorkspace(database.db, name);
      for (const age of [1, 29, 31, 400]) {
        rows.push({
          workspace_id: id,
          received_at: new Date(Date.now() - age * day),
          message_id: `${name}-${age}`,
          type: 'track',
          reason: 'event: is required',
          payload: '{}',
        });
      }
    }
    await database.db.insertInto('ingest_rejections').values(rows).execute();

    worker = await startWorker({
      db: database.db,
      pool: database.pool,
      logger: pino({ level: 'silent' }),
      pollInterval: 100,
    });
    await enqueue(database.db, 'ingest_rejections_cleanup', {});
    const deadline = Date.now() + 10_000;
    const left = () =>
      database.db.selectFrom('ingest_rejections').select('message_id').orderBy('message_id').execute();
    while ((await left()).length > 4) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await left()).map((r) => r.message_id)).toEqual(['one-1', 'one-29', 'two-1', 'two-29']);
  });
});
