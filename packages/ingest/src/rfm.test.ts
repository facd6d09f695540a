import { createWorkspace } from '@touchline/db';
import { createTestDatabase, type TestDatabase } from '@touchline/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recomputeRfm } from './rfm.js';

let database: TestDatabase;
let workspaceId: string;
let otherWorkspaceId: string;
beforeEach(async () => {
  database = await createTestDatabase();
  workspaceId = (await createWorkspace(database.db, 'shop')).id;
  otherWorkspaceId = (await createWorkspace(database.db, 'other shop')).id;
});
afterEach(async () => database.drop());

const now = Date.now();
const daysAgo = (days: number) => new Date(now - days * 86_400_000);

interface Customer {
  userId: string;
  lastOrderDaysAgo: number | null;
  orders: number;
  spent: number;
  mergedInto?: string;
  rfm?: [number, number, number];
}

async function insertProfiles(customers: readonly Customer[], ws = workspaceId): Promise<void> {
  await database.db
    .insertInto('profiles')
    .values(
      customers.map((c) => ({
        workspace_id: ws,
        user_id: c.userId,
        orders_count: c.orders,
        lifetime_value: c.spent,
        last_order_at: c.lastOrderDaysAgo === null ? null : daysAgo(c.lastOrderDaysAgo),
        merged_into: c.mergedInto ?? null,
        rfm_recency: c.rfm?.[0] ?? null,
        rfm_frequency: c.rfm?.[1] ?? null,
        rfm_monetary: c.rfm?.[2] ?? null,
      })),
    )
    .execute();
}

async function scores(
  ws = workspaceId,
): Promise<Record<string, [number | null, number | null, number | null]>> {
  const rows = await database.db
    .selectFrom('profiles')
    .select(['user_id', 'rfm_recency', 'rfm_frequency', 'rfm_monetary'])
    .where('workspace_id', '=', ws)
    .execute();
  return Object.fromEntries(
    rows.map((r) => [r.user_id ?? '', [r.rfm_recency, r.rfm_frequency, r.rfm_monetary]]),
  );
}

// Ten customers of a shop, from its best to a one-time buyer of two years ago.
const shop: Customer[] = [
  { userId: 'best', lastOrderDaysAgo: 1, orders: 12, spent: 2400 },
  { userId: 'loyal', lastOrderDaysAgo: 3, orders: 6, spent: 900 },
  { userId: 'twin-a', lastOrderDaysAgo: 10, orders: 4, spent: 400 },
  { userId: 'twin-b', lastOrderDaysAgo: 10, orders: 4, spent: 400 },
  { userId: 'regular', lastOrderDaysAgo: 30, orders: 3, spent: 250 },
  { userId: 'fading', lastOrderDaysAgo: 60, orders: 2, spent: 120 },
  { userId: 'lapsing', lastOrderDaysAgo: 90, orders: 2, spent: 150 },
  { userId: 'once-recent', lastOrderDaysAgo: 200, orders: 1, spent: 80 },
  { userId: 'once-cheap', lastOrderDaysAgo: 300, orders: 1, spent: 35 },
  { userId: 'once-long-ago', lastOrderDaysAgo: 700, orders: 1, spent: 20 },
];

describe('recomputeRfm', () => {
  it('scores customers by quintile: the best 5/5/5, a one-time buyer of long ago 1/1/1, equals alike', async () => {
    await insertProfiles([...shop, { userId: 'browser', lastOrderDaysAgo: null, orders: 0, spent: 0 }]);

    expect(await recomputeRfm(database.db, workspaceId)).toEqual({ profiles: 10 });

    expect(await scores()).toEqual({
      best: [5, 5, 5],
      loyal: [5, 5, 5],
      'twin-a': [4, 4, 4],
      'twin-b': [4, 4, 4],
      regular: [3, 3, 3],
      fading: [3, 2, 2],
      lapsing: [2, 2, 3],
      'once-recent': [2, 1, 2],
      'once-cheap': [1, 1, 1],
      'once-long-ago': [1, 1, 1],
      // No order, no scores.
      browser: [null, null, null],
    });
  });

  it('gives every one-time buyer the lowest frequency, however many of them there are', async () => {
    await insertProfiles([
      ...Array.from({ length: 8 }, (_, i) => ({
        userId: `once-${i}`,
        lastOrderDaysAgo: i + 1,
        orders: 1,
        spent: 50,
      })),
      { userId: 'twice', lastOrderDaysAgo: 5, orders: 2, spent: 100 },
      { userId: 'thrice', lastOrderDaysAgo: 5, orders: 3, spent: 150 },
    ]);
    await recomputeRfm(database.db, workspaceId);
    const result = await scores();
    for (let i = 0; i < 8; i++) expect(result[`once-${i}`]?.[1]).toBe(1);
    expect(result.twice?.[1]).toBe(5);
    expect(result.thrice).toEqual([2, 5, 5]);
  });

  it('clears the scores of profiles without orders and writes nothing for merged-away ones', async () => {
    await insertProfiles(shop);
    const [best] = await database.db
      .selectFrom('profiles')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', 'best')
      .execute();
    await insertProfiles([
      { userId: 'stale', lastOrderDaysAgo: null, orders: 0, spent: 0, rfm: [3, 3, 3] },
      // A merged-away profile keeps its totals as a tombstone; ranking it would count a person twice.
      { userId: 'merged', lastOrderDaysAgo: 1000, orders: 1, spent: 5, mergedInto: best?.id as string },
    ]);

    expect(await recomputeRfm(database.db, workspaceId)).toEqual({ profiles: 11 });
    const result = await scores();
    expect(result.stale).toEqual([null, null, null]);
    expect(result.merged).toEqual([null, null, null]);
    // Had the tombstone been ranked below everyone, `once-cheap` would have risen to 2/1/2.
    expect(result['once-cheap']).toEqual([1, 1, 1]);

    const computedAt = await database.db
      .selectFrom('profiles')
      .select(['user_id', 'rfm_computed_at'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    for (const row of computedAt) {
      if (row.user_id === 'merged') expect(row.rfm_computed_at).toBeNull();
      else expect(row.rfm_computed_at).toBeInstanceOf(Date);
    }
  });

  it('scores a lone customer 1/1/1 and rescores when the customer base changes', async () => {
    await insertProfiles([{ userId: 'first', lastOrderDaysAgo: 2, orders: 1, spent: 30 }]);
    await recomputeRfm(database.db, workspaceId);
    expect((await scores()).first).toEqual([1, 1, 1]);

    await insertProfiles([{ userId: 'second', lastOrderDaysAgo: 1, orders: 3, spent: 90 }]);
    await recomputeRfm(database.db, workspaceId);
    expect(await scores()).toEqual({ first: [1, 1, 1], second: [5, 5, 5] });
  });

  it('leaves other workspaces untouched', async () => {
    await insertProfiles(shop);
    await insertProfiles(
      [
        { userId: 'elsewhere', lastOrderDaysAgo: 1, orders: 5, spent: 500 },
        { userId: 'elsewhere-stale', lastOrderDaysAgo: null, orders: 0, spent: 0, rfm: [2, 2, 2] },
      ],
      otherWorkspaceId,
    );
    await recomputeRfm(database.db, workspaceId);
    expect(await scores(otherWorkspaceId)).toEqual({
      elsewhere: [null, null, null],
      'elsewhere-stale': [2, 2, 2],
    });
  });
});
