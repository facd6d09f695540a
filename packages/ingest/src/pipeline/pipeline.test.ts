import { createDb, createWorkspace } from '@touchline/db';
import { createTestDatabase, type TestDatabase } from '@touchline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeMessage } from '../spec/normalize.js';
import { IngestOverloaded, IngestPipeline } from './pipeline.js';

let database: TestDatabase;
let workspaceId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  workspaceId = (await createWorkspace(database.db, 'pipeline')).id;
});
afterAll(async () => database.drop());

function message(raw: Record<string, unknown>, ws = workspaceId) {
  const result = normalizeMessage(raw, { workspaceId: ws, receivedAt: new Date() });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

describe('IngestPipeline', () => {
  it('two servers writing the same new people at once end with one profile per person', async () => {
    // Two pipelines on two pools: what two Touchline processes behind a load balancer do.
    const other = createDb(database.url, { max: 4 });
    const pipelines = [
      new IngestPipeline({ pool: database.pool, maxInFlight: 2 }),
      new IngestPipeline({ pool: other.pool, maxInFlight: 2 }),
    ];
    const calls: Promise<unknown>[] = [];
    for (let round = 0; round < 10; round++) {
      for (const [p, pipeline] of pipelines.entries()) {
        const events = Array.from({ length: 40 }, (_, i) =>
          message({
            type: i % 4 === 0 ? 'identify' : 'track',
            event: 'viewed',
            userId: `race-${(i + round) % 30}`,
            anonymousId: `race-device-${(i + round) % 30}`,
            messageId: `race-${p}-${round}-${i}`,
            traits: { round },
          }),
        );
        calls.push(pipeline.ingest(events));
      }
    }
    await Promise.all(calls);
    await Promise.all(pipelines.map((p) => p.close()));
    await other.close();

    const perUser = await database.db
      .selectFrom('profiles')
      .select(['user_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('workspace_id', '=', workspaceId)
      .where('user_id', 'like', 'race-%')
      .groupBy('user_id')
      .execute();
    expect(perUser).toHaveLength(30);
    expect(perUser.every((row) => Number(row.n) === 1)).toBe(true);
    const orphans = await database.db
      .selectFrom('events as e')
      .leftJoin('profiles as p', (j) => j.onRef('p.id', '=', 'e.profile_id'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('e.message_id', 'like', 'race-%')
      .where((eb) => eb.or([eb('p.id', 'is', null), eb('p.merged_into', 'is not', null)]))
      .executeTakeFirstOrThrow();
    expect(Number(orphans.n)).toBe(0);
    const stored = await database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('message_id', 'like', 'race-%')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(800);
  });

  it('folds a group in arrival order: the last identify wins, orders add up, repeats count once', async () => {
    const pipeline = new IngestPipeline({ pool: database.pool });
    const result = await pipeline.ingest([
      message({ type: 'identify', userId: 'fold', traits: { plan: 'free', name: 'F' }, messageId: 'fold-1' }),
      message({
        type: 'track',
        userId: 'fold',
        event: 'order_completed',
        properties: { revenue: 10 },
        messageId: 'fold-2',
      }),
      message({ type: 'identify', userId: 'fold', traits: { plan: 'pro' }, messageId: 'fold-3' }),
      message({
        type: 'track',
        userId: 'fold',
        event: 'order_completed',
        properties: { revenue: 2.5 },
        messageId: 'fold-4',
      }),
      message({
        type: 'track',
        userId: 'fold',
        event: 'order_completed',
        properties: { revenue: 10 },
        messageId: 'fold-2',
      }),
    ]);
    expect(result).toEqual({ accepted: 4, duplicates: 1 });
    // The same order again, in a later call: accepted, ignored.
    expect(
      await pipeline.ingest([
        message({
          type: 'track',
          userId: 'fold',
          event: 'order_completed',
          properties: { revenue: 10 },
          messageId: 'fold-2',
        }),
      ]),
    ).toEqual({ accepted: 0, duplicates: 1 });
    await pipeline.close();
    const profile = await database.db
      .selectFrom('profiles')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', 'fold')
      .executeTakeFirstOrThrow();
    expect(profile.traits).toEqual({ plan: 'pro', name: 'F' });
    expect(profile.orders_count).toBe(2);
    expect(Number(profile.lifetime_value)).toBe(12.5);
  });

  it('a stale identity cache never overwrites who another server said a visitor is', async () => {
    const other = createDb(database.url, { max: 2 });
    const first = new IngestPipeline({ pool: database.pool });
    const second = new IngestPipeline({ pool: other.pool });
    await first.ingest([message({ type: 'page', anonymousId: 'stale-device', messageId: 'stale-1' })]);
    // The other server learns the device belongs to Yann; the first server's cache does not know.
    await second.ingest([
      message({ type: 'identify', userId: 'yann', anonymousId: 'stale-device', messageId: 'stale-2' }),
    ]);
    await first.ingest([
      message({ type: 'identify', userId: 'xavier', anonymousId: 'stale-device', messageId: 'stale-3' }),
    ]);
    expect(first.stats.retries).toBeGreaterThanOrEqual(1);
    const people = await database.db
      .selectFrom('profiles')
      .select(['id', 'user_id'])
      .where('workspace_id', '=', workspaceId)
      .where('user_id', 'in', ['yann', 'xavier'])
      .orderBy('user_id')
      .execute();
    expect(people.map((p) => p.user_id)).toEqual(['xavier', 'yann']);
    const device = await database.db
      .selectFrom('profile_identities')
      .select('profile_id')
      .where('workspace_id', '=', workspaceId)
      .where('value', '=', 'stale-device')
      .executeTakeFirstOrThrow();
    expect(device.profile_id).toBe(people[1]?.id);
    await Promise.all([first.close(), second.close()]);
    await other.close();
  });

  it('a call that cannot be written fails alone; the calls grouped with it are committed', async () => {
    const pipeline = new IngestPipeline({ pool: database.pool, maxInFlight: 1 });
    const missingWorkspace = '00000000-0000-4000-8000-00000000dead';
    const first = pipeline.ingest([
      message({ type: 'track', event: 'a', userId: 'iso-0', messageId: 'iso-0' }),
    ]);
    // These three queue behind the first and are written as one group.
    const good1 = pipeline.ingest([
      message({ type: 'track', event: 'a', userId: 'iso-1', messageId: 'iso-1' }),
    ]);
    const bad = pipeline.ingest([
      message({ type: 'track', event: 'a', userId: 'iso-x', messageId: 'iso-x' }, missingWorkspace),
    ]);
    const good2 = pipeline.ingest([
      message({ type: 'track', event: 'a', userId: 'iso-2', messageId: 'iso-2' }),
    ]);
    const results = await Promise.allSettled([first, good1, bad, good2]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(pipeline.stats.groups).toBeGreaterThanOrEqual(2);
    const stored = await database.db
      .selectFrom('events')
      .select('message_id')
      .where('message_id', 'like', 'iso-%')
      .orderBy('message_id')
      .execute();
    expect(stored.map((r) => r.message_id)).toEqual(['iso-0', 'iso-1', 'iso-2']);
    await pipeline.close();
  });

  it('refuses calls with IngestOverloaded while too much waits, and takes them again once it catches up', async () => {
    const pipeline = new IngestPipeline({ pool: database.pool, maxInFlight: 1, maxQueuedEvents: 150 });
    const calls = (prefix: string) =>
      Array.from({ length: 100 }, (_, i) =>
        message({ type: 'track', event: 'busy', userId: 'busy', messageId: `${prefix}-${i}` }),
      );
    // PostgreSQL stalls (a lock held elsewhere): the first group cannot finish.
    const blocker = await database.pool.connect();
    await blocker.query('begin');
    await blocker.query('lock table events in access exclusive mode');
    try {
      const writing = pipeline.ingest(calls('busy-a'));
      const queued = pipeline.ingest(calls('busy-b'));
      await expect(pipeline.ingest(calls('busy-c'))).rejects.toBeInstanceOf(IngestOverloaded);
      await blocker.query('commit');
      await expect(Promise.all([writing, queued])).resolves.toEqual([
        { accepted: 100, duplicates: 0 },
        { accepted: 100, duplicates: 0 },
      ]);
      // Caught up: the refused call goes through when sent again.
      await expect(pipeline.ingest(calls('busy-c'))).resolves.toEqual({ accepted: 100, duplicates: 0 });
    } finally {
      await blocker.query('rollback').catch(() => {});
      blocker.release();
      await pipeline.close();
    }
  });

  it('refuses new calls once closed, after writing the ones it accepted', async () => {
    const pipeline = new IngestPipeline({ pool: database.pool });
    const accepted = pipeline.ingest([
      message({ type: 'track', event: 'a', userId: 'close-1', messageId: 'close-1' }),
    ]);
    await pipeline.close();
    await expect(accepted).resolves.toEqual({ accepted: 1, duplicates: 0 });
    await expect(
      pipeline.ingest([message({ type: 'track', event: 'a', userId: 'close-2' })]),
    ).rejects.toThrow('the ingestion pipeline is closed');
  });
});
