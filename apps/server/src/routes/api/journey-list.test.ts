import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJourney } from '../../../test/journeys.js';
import {
  adminHeaders,
  createTestApp,
  credentials,
  type TestApp,
  writeKeyHeaders,
} from '../../../test/test-app.js';

let t: TestApp;
let memberCookie: string;

const apiJourney = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'trigger.api', config: {}, position: { x: 0, y: 0 } },
    { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 100 } },
  ],
  edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'done' }],
  settings: { reentry: 'always' },
};

const asMember = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    cookies: { touchline_session: memberCookie },
    ...(payload ? { payload } : {}),
  });
const list = async (query = '') => {
  const response = await t.app.inject({ method: 'GET', url: `/api/journeys${query}`, headers: adminHeaders });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().journeys as Array<Record<string, unknown>>;
};

beforeAll(async () => {
  t = await createTestApp();
  const session = await t.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email: credentials.adminEmail, password: credentials.adminPassword },
  });
  memberCookie = session.cookies.find((c) => c.name === 'touchline_session')!.value;
  for (const userId of ['ada', 'grace', 'linus']) {
    const identified = await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: writeKeyHeaders,
      payload: { userId, traits: { name: userId } },
    });
    expect(identified.statusCode).toBe(200);
  }
});
afterAll(async () => t?.close());

describe('the journeys list', () => {
  it('finds journeys by part of their name in any case, and by status', async () => {
    for (const name of ['Abandoned cart', 'Win-back', 'Cart 50% off']) {
      expect((await asMember('POST', '/api/journeys', { name })).statusCode).toBe(201);
    }
    expect((await list('?q=CART')).map((j) => j.name).sort()).toEqual(['Abandoned cart', 'Cart 50% off']);
    // % and _ are letters in a search, not patterns.
    expect((await list(`?q=${encodeURIComponent('50%')}`)).map((j) => j.name)).toEqual(['Cart 50% off']);
    expect(await list('?q=nothing-like-this')).toEqual([]);
    expect((await list('?status=draft&q=win')).map((j) => j.name)).toEqual(['Win-back']);
    expect(await list('?status=live&q=win')).toEqual([]);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/journeys?status=running',
      headers: adminHeaders,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('querystring.status');
  });

  it('shows who last edited a journey and when: the member who saved or published it', async () => {
    const created = (
      await t.app.inject({
        method: 'POST',
        url: '/api/journeys',
        headers: adminHeaders,
        payload: { name: 'Edited by a token, then by Ada', graph: apiJourney },
      })
    ).json();
    const [byToken] = await list('?q=then by Ada');
    expect(byToken).toMatchObject({ id: created.id, updatedBy: null, status: 'draft', liveVersion: null });

    expect((await asMember('POST', `/api/journeys/${created.id}/publish`, {})).statusCode).toBe(200);
    const [published] = await list('?q=then by Ada');
    expect(published).toMatchObject({ status: 'live', liveVersion: 1, updatedBy: credentials.adminEmail });
    expect(Date.parse(published!.updatedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(byToken!.updatedAt as string),
    );

    // The list is most recently edited first.
    expect((await list())[0]?.id).toBe(created.id);
  });

  it('counts the enrollments of the last seven days of each journey', async () => {
    const busy = await publishJourney(t, 'Busy API journey', apiJourney);
    const quiet = await publishJourney(t, 'Quiet API journey', apiJourney);
    for (const userId of ['ada', 'grace', 'linus']) {
      const enrolled = await t.app.inject({
        method: 'POST',
        url: `/api/journeys/${busy}/enroll`,
        headers: adminHeaders,
        payload: { userId },
      });
      expect(enrolled.json()).toEqual({ entered: true });
    }
    await t.app.inject({
      method: 'POST',
      url: `/api/journeys/${quiet}/enroll`,
      headers: adminHeaders,
      payload: { userId: 'ada' },
    });
    // One of the busy journey's entries was eight days ago: it no longer counts.
    await sql`update enrollments set entered_at = now() - interval '8 days'
               where id = (select id from enrollments where journey_id = ${busy} limit 1)`.execute(
      t.database.db,
    );

    const rows = await list('?q=API journey');
    expect(Object.fromEntries(rows.map((j) => [j.name, j.entered7d]))).toEqual({
      'Busy API journey': 2,
      'Quiet API journey': 1,
    });
  });

  it('duplicates a journey as a new draft with the same graph, leaving the original alone', async () => {
    const original = await publishJourney(t, 'Welcome series', apiJourney);
    const response = await asMember('POST', `/api/journeys/${original}/duplicate`);
    expect(response.statusCode, response.body).toBe(201);
    const copy = response.json();
    expect(copy).toMatchObject({ name: 'Welcome series (copy)', status: 'draft', liveVersion: null });
    expect(copy.id).not.toBe(original);
    expect(copy.graph).toEqual(apiJourney);
    expect(copy.validation).toEqual({ ok: true, errors: [] });
    expect((await list('?q=Welcome series')).map((j) => [j.name, j.status, j.updatedBy])).toEqual([
      ['Welcome series (copy)', 'draft', credentials.adminEmail],
      ['Welcome series', 'live', null],
    ]);

    const named = await asMember('POST', `/api/journeys/${original}/duplicate`, {
      name: 'Welcome, take two',
    });
    expect(named.json().name).toBe('Welcome, take two');

    const missing = await asMember('POST', '/api/journeys/00000000-0000-4000-8000-000000000000/duplicate');
    expect(missing.statusCode).toBe(404);
  });

  it('keeps archived journeys out of the list unless asked for', async () => {
    const archived = await publishJourney(t, 'Old promo', apiJourney);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/journeys/${archived}`,
      headers: adminHeaders,
    });
    expect(deleted.statusCode).toBe(204);
    expect(await list('?q=Old promo')).toEqual([]);
    expect((await list('?q=Old promo&status=archived')).map((j) => j.status)).toEqual(['archived']);
  });
});
