import { createWorkspace } from '@touchline/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identify } from '../../../test/runtime-harness.js';
import { adminHeaders, createTestApp, type TestApp } from '../../../test/test-app.js';

let t: TestApp;
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: adminHeaders });

beforeAll(async () => {
  t = await createTestApp();
  await identify(t, 'mia', { plan: 'pro', seats: 5, beta: true, tags: ['vip'] });
  await identify(t, 'noah', { plan: 'free', seats: 1, churn_risk: null });
  // A later identify adds to the traits: `seats` as text here, a number on the other two.
  await identify(t, 'ava', { plan: 'pro' });
  await identify(t, 'ava', { seats: '3', address: { city: 'Lyon' } });
  // A user id that reads like the route: its profile is still found by search.
  await identify(t, 'traits', { plan: 'trial' });

  const { db } = t.database;
  // A merged profile is not a person of its own any more: its traits are left out.
  await db
    .insertInto('profiles')
    .values({
      workspace_id: t.workspaceId,
      traits: sql`'{"merged_only": 1}'::jsonb`,
      merged_into: sql`gen_random_uuid()`,
    })
    .execute();
  // Another workspace's traits never show.
  const other = await createWorkspace(db, 'Elsewhere');
  await db
    .insertInto('profiles')
    .values({
      workspace_id: other.id,
      user_id: 'mia',
      traits: sql`'{"secret_trait": "x", "plan": "x"}'::jsonb`,
    })
    .execute();
});
afterAll(async () => t.close());

describe('GET /api/traits', () => {
  it("lists the workspace's trait keys, most common first, with the type most of them hold", async () => {
    const response = await get('/api/traits');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      sampled: 4,
      complete: true,
      traits: [
        { key: 'plan', type: 'string', count: 4 },
        { key: 'seats', type: 'number', count: 3 },
        { key: 'address', type: 'object', count: 1 },
        { key: 'beta', type: 'boolean', count: 1 },
        { key: 'tags', type: 'array', count: 1 },
      ],
    });
  });

  it('answers at most `limit` keys and names the field of a bad limit', async () => {
    expect((await get('/api/traits?limit=2')).json().traits).toEqual([
      { key: 'plan', type: 'string', count: 4 },
      { key: 'seats', type: 'number', count: 3 },
    ]);
    for (const limit of ['0', '501', 'many']) {
      const bad = await get(`/api/traits?limit=${limit}`);
      expect(bad.statusCode, limit).toBe(400);
      expect(bad.json().message).toMatch(/limit: must be a number from 1 to 500/);
    }
  });

  it('shadows no profile: the person whose user id is "traits" still has a profile page', async () => {
    const profile = await get('/api/profiles/traits');
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.json().userId).toBe('traits');
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operation = doc.paths['/api/traits'].get;
    expect(operation.tags).toEqual(['profiles']);
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(['limit']);
    expect(Object.keys(operation.responses['200'].content['application/json'].schema.properties)).toEqual([
      'sampled',
      'complete',
      'traits',
    ]);
  });

  it('needs an admin token or session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/traits' });
    expect(response.statusCode).toBe(401);
  });
});
