import { createWorkspace } from '@touchline/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';

let t: TestApp;
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: adminHeaders });

async function track(userId: string, event: string, properties: Record<string, unknown>, timestamp?: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: writeKeyHeaders,
    payload: { userId, event, properties, ...(timestamp ? { timestamp } : {}) },
  });
  expect(response.statusCode, response.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp();
  await track('mia', 'cart_updated', { cart_id: 'c1', total: 20 });
  await track('mia', 'cart_updated', { cart_id: 'c1', total: 45, items: [] });
  await track('noah', 'cart_updated', { cart_id: 'c2', total: 12 });
  await track('mia', 'order_completed', { cart_id: 'c1', revenue: 45 });
  // Tracked long ago: named and dated, but outside the 30 days that `count` covers.
  await track('noah', 'newsletter_signup', { source: 'footer' }, '2024-03-01T10:00:00.000Z');

  // Another workspace's events never show.
  const other = await createWorkspace(t.database.db, 'Elsewhere');
  await t.database.db
    .insertInto('events')
    .values({
      workspace_id: other.id,
      message_id: 'elsewhere-1',
      type: 'track',
      event: 'secret_event',
      properties: sql`'{"hidden": true}'::jsonb`,
      timestamp: sql`now()`,
    })
    .execute();
});
afterAll(async () => t.close());

describe('GET /api/events/names', () => {
  it("lists the workspace's event names, most frequent first, with the property keys seen on them", async () => {
    const response = await get('/api/events/names');
    expect(response.statusCode, response.body).toBe(200);
    const { events } = response.json();
    expect(events.map((event: { name: string }) => event.name)).toEqual([
      'cart_updated',
      'order_completed',
      'newsletter_signup',
    ]);
    expect(events[0]).toMatchObject({
      name: 'cart_updated',
      count: 3,
      properties: ['cart_id', 'items', 'total'],
    });
    expect(events[1]).toMatchObject({
      name: 'order_completed',
      count: 1,
      properties: ['cart_id', 'revenue'],
    });
    expect(events[2]).toEqual({
      name: 'newsletter_signup',
      count: 0,
      lastSeenAt: '2024-03-01T10:00:00.000Z',
      properties: ['source'],
    });
    expect(Date.parse(events[0].lastSeenAt)).toBeGreaterThan(Date.now() - 3_600_000);
  });

  it('answers at most `limit` names and names the field of a bad limit', async () => {
    expect((await get('/api/events/names?limit=1')).json().events).toHaveLength(1);
    const bad = await get('/api/events/names?limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/limit: must be a number from 1 to 500/);
  });

  it('needs an admin token or session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/events/names' });
    expect(response.statusCode).toBe(401);
  });
});
