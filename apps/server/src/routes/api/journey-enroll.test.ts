import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJourney } from '../../../test/journeys.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';

let t: TestApp;
let apiJourney: string;

const graph = (trigger: { type: string; config: unknown }, reentry = 'always') => ({
  schemaVersion: 1,
  nodes: [
    { id: 'start', ...trigger, position: { x: 0, y: 0 } },
    { id: 'tag', type: 'profile.update', config: { addTags: ['vip'] }, position: { x: 0, y: 100 } },
    { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 200 } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'out', target: 'tag' },
    { id: 'e2', source: 'tag', sourcePort: 'out', target: 'done' },
  ],
  settings: { reentry },
});

const enroll = (journeyId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/journeys/${journeyId}/enroll`, headers: adminHeaders, payload });

beforeAll(async () => {
  t = await createTestApp();
  const identified = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId: 'grace', traits: { name: 'Grace' } },
  });
  expect(identified.statusCode).toBe(200);
  apiJourney = await publishJourney(t, 'VIP welcome', graph({ type: 'trigger.api', config: {} }));
});
afterAll(async () => t.close());

const enrollmentCount = async (journeyId: string) =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from enrollments where journey_id = ${journeyId}`.execute(t.database.db)
  ).rows[0]?.n;

describe('POST /api/journeys/:id/enroll', () => {
  it('enrolls a profile into a live API-triggered journey once per key', async () => {
    const first = await enroll(apiJourney, { userId: 'grace', key: 'crm-4711' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ entered: true });
    // A retried request with the same key enrolls nobody again.
    expect((await enroll(apiJourney, { userId: 'grace', key: 'crm-4711' })).json()).toEqual({
      entered: false,
    });
    expect(await enrollmentCount(apiJourney)).toBe(1);
    // A new key is a new entry (re-entry "always"), and the journey ran: the tag is set.
    expect((await enroll(apiJourney, { userId: 'grace', key: 'crm-4712' })).json()).toEqual({
      entered: true,
    });
    expect(await enrollmentCount(apiJourney)).toBe(2);
    const profile = await t.app.inject({ method: 'GET', url: '/api/profiles/grace', headers: adminHeaders });
    expect(JSON.stringify(profile.json())).toContain('vip');
  });

  it('names the field of a bad request and the user id nobody has', async () => {
    const missing = await enroll(apiJourney, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain('userId');
    const unknown = await enroll(apiJourney, { userId: 'nobody' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('body.userId: no profile with user id "nobody"');
  });

  it('refuses a journey that is not live or does not start with an API trigger', async () => {
    const evented = await publishJourney(
      t,
      'On signup',
      graph({ type: 'trigger.event', config: { event: 'signed_up' } }),
    );
    const wrongTrigger = await enroll(evented, { userId: 'grace' });
    expect(wrongTrigger.statusCode).toBe(409);
    expect(wrongTrigger.json().message).toMatch(/trigger\.event, not an API trigger/);

    const paused = await t.app.inject({
      method: 'POST',
      url: `/api/journeys/${apiJourney}/pause`,
      headers: adminHeaders,
    });
    expect(paused.statusCode).toBe(200);
    const notLive = await enroll(apiJourney, { userId: 'grace' });
    expect(notLive.statusCode).toBe(409);
    expect(notLive.json().message).toMatch(/is paused, not live/);
  });
});
