import { Effects, guardSend, profileFact } from '@touchline/runtime';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishJourney } from '../test/journeys.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../test/test-app.js';

let t: TestApp;
let templateId: string;

/** A journey entered by `trigger` (an event name, or the API) that sends one email. */
const emailJourney = (name: string, trigger: string | null, priority?: number) =>
  publishJourney(t, name, {
    schemaVersion: 1,
    nodes: [
      trigger === null
        ? { id: 'start', type: 'trigger.api', config: {}, position: { x: 0, y: 0 } }
        : { id: 'start', type: 'trigger.event', config: { event: trigger }, position: { x: 0, y: 0 } },
      { id: 'email', type: 'send.email', config: { templateId }, position: { x: 0, y: 100 } },
      { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'email' },
      { id: 'e2', source: 'email', sourcePort: 'out', target: 'done' },
      { id: 'e3', source: 'email', sourcePort: 'suppressed', target: 'done' },
    ],
    settings: { reentry: 'always', ...(priority === undefined ? {} : { priority }) },
  });

const identify = async (userId: string) => {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId, traits: { email: `${userId}@example.com` } },
  });
  expect(response.statusCode, response.body).toBe(200);
};

const track = async (userId: string, event: string) => {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: writeKeyHeaders,
    payload: { userId, event },
  });
  expect(response.statusCode, response.body).toBe(200);
  await t.services.runtime.drain();
};

const outcomeOf = async (userId: string, journeyId: string) => {
  const messages = (
    await t.app.inject({
      method: 'GET',
      url: `/api/messages?userId=${userId}&journeyId=${journeyId}`,
      headers: adminHeaders,
    })
  ).json().messages as Array<{ status: string; suppressedReason: string | null }>;
  return messages.map((m) => m.suppressedReason ?? m.status);
};

/** Moves a profile's messages back in time, as if sent `hours` ago. */
const age = async (userId: string, hours: number) => {
  await sql`update messages set created_at = created_at - make_interval(hours => ${hours})
             where profile_id = (select id from profiles where user_id = ${userId})`.execute(t.database.db);
};

beforeAll(async () => {
  t = await createTestApp();
  const patched = await t.app.inject({
    method: 'PATCH',
    url: '/api/workspace',
    headers: adminHeaders,
    payload: { settings: { messaging: { priorityWindow: 'PT1H' } } },
  });
  expect(patched.statusCode, patched.body).toBe(200);
  const template = await t.app.inject({
    method: 'POST',
    url: '/api/templates',
    headers: adminHeaders,
    payload: {
      name: 'Offer',
      channel: 'email',
      subject: 'Offer',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Offer</mj-text></mj-column></mj-section></mj-body></mjml>',
    },
  });
  expect(template.statusCode, template.body).toBe(201);
  templateId = template.json().id;
});
afterAll(async () => t.close());

describe('priority between journeys competing in the same window', () => {
  it('sends the higher-priority journey of two on one event, and suppresses the other as lower_priority', async () => {
    // The lower one is published first: the order of publishing must not decide.
    const newsletter = await emailJourney('Newsletter', 'signed_up', 10);
    const welcome = await emailJourney('Welcome', 'signed_up', 50);
    await identify('ada');
    await track('ada', 'signed_up');
    expect(await outcomeOf('ada', welcome)).toEqual(['queued']);
    expect(await outcomeOf('ada', newsletter)).toEqual(['lower_priority']);
  });

  it('sends both when the journeys have the same priority', async () => {
    const first = await emailJourney('Tips', 'opened_app', 20);
    const second = await emailJourney('Survey', 'opened_app', 20);
    await identify('bea');
    await track('bea', 'opened_app');
    expect(await outcomeOf('bea', first)).toEqual(['queued']);
    expect(await outcomeOf('bea', second)).toEqual(['queued']);
  });

  it('sends both when the higher-priority message went out before the window', async () => {
    const cart = await emailJourney('Cart reminder', 'cart_updated', 80);
    const promo = await emailJourney('Promo', 'browsed', 5);
    await identify('cy');
    await track('cy', 'cart_updated');
    await age('cy', 2);
    await track('cy', 'browsed');
    expect(await outcomeOf('cy', cart)).toEqual(['queued']);
    expect(await outcomeOf('cy', promo)).toEqual(['queued']);
    // Inside the window the same promo loses.
    await identify('dee');
    await track('dee', 'cart_updated');
    await track('dee', 'browsed');
    expect(await outcomeOf('dee', promo)).toEqual(['lower_priority']);
  });

  it('does not let an earlier lower-priority send block a later higher-priority one', async () => {
    const digest = await emailJourney('Digest', 'digest_due');
    const receipt = await emailJourney('Order follow-up', 'ordered', 90);
    await identify('eve');
    await track('eve', 'digest_due');
    await track('eve', 'ordered');
    expect(await outcomeOf('eve', digest)).toEqual(['queued']);
    expect(await outcomeOf('eve', receipt)).toEqual(['queued']);
  });

  it('decides a send after a concurrent transaction holding a higher-priority send commits', async () => {
    const low = await emailJourney('Low API', null, 1);
    const high = await emailJourney('High API', null, 99);
    await identify('fay');
    const profile = await sql<{ id: string }>`select id from profiles where user_id = 'fay'`.execute(
      t.database.db,
    );
    const profileId = profile.rows[0]?.id as string;
    const client = await t.database.pool.connect();
    try {
      // Transaction 1 decides the high-priority send and writes its message, not yet committed.
      await client.query('begin');
      const now = new Date();
      const decision = await guardSend(
        client,
        {
          workspaceId: t.workspaceId,
          profileId,
          channel: 'email',
          journeyId: high,
          priority: 99,
          transactional: false,
          journeyCap: null,
          quietHours: null,
        },
        profileFact({ user_id: 'fay', traits: {}, email: 'fay@example.com' }),
        new Effects(),
        { consent: {}, caps: {}, minIntervalMs: null, priorityWindowMs: 3_600_000 },
        now,
      );
      expect(decision).toEqual({ send: true });
      await client.query(
        `insert into messages (workspace_id, idempotency_key, profile_id, journey_id, channel, content)
         values ($1, 'race-high', $2, $3, 'email', '{"journey": {"priority": 99}}')`,
        [t.workspaceId, profileId, high],
      );
      // Transaction 2, the runtime's, decides the low-priority send meanwhile: it waits for 1.
      const enrolled = t.app.inject({
        method: 'POST',
        url: `/api/journeys/${low}/enroll`,
        headers: adminHeaders,
        payload: { userId: 'fay', key: 'race' },
      });
      await eventually(async () => {
        const waiting = await t.database.pool.query(
          "select 1 from pg_locks where locktype = 'advisory' and not granted",
        );
        expect(waiting.rowCount).toBe(1);
      });
      await client.query('commit');
      expect((await enrolled).json()).toEqual({ entered: true });
    } finally {
      client.release();
    }
    expect(await outcomeOf('fay', low)).toEqual(['lower_priority']);
  });
});
