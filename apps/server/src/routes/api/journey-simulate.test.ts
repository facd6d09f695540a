import { createWorkspace, insertApiKey } from '@touchline/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureJourney } from '../../../test/journeys.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';
import { hashToken } from '../../auth/secrets.js';

let t: TestApp;
let journeyId: string;
let graph: Record<string, unknown>;
let emailTemplateId: string;

const simulate = (id: string, payload: unknown, headers: Record<string, string> = adminHeaders) =>
  t.app.inject({ method: 'POST', url: `/api/journeys/${id}/simulate`, headers, payload: payload as object });

const cartUpdated = { event: 'cart_updated', properties: { cart_id: 'c-42', cart_value: 80 } };
const start = '2026-11-20T10:00:00Z';

/** Rows the live runtime writes when it runs a journey: none of them may change. */
async function sideEffectCounts(): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, string>>`
    select (select count(*) from enrollments) as enrollments,
           (select count(*) from enrollment_steps) as steps,
           (select count(*) from messages) as messages,
           (select count(*) from journey_timers) as timers,
           (select count(*) from events) as events,
           (select count(*) from graphile_worker._private_jobs) as jobs,
           (select max(updated_at)::text from profiles) as profiles_updated`.execute(t.database.db);
  const row = rows[0] ?? {};
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value as unknown as number]));
}

beforeAll(async () => {
  t = await createTestApp();
  graph = await fixtureJourney(t, 'abandoned-cart');
  const email = (graph.nodes as Array<{ id: string; config: { templateId?: string } }>).find(
    (n) => n.id === 'email_cart',
  );
  emailTemplateId = email?.config.templateId as string;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/journeys',
    headers: adminHeaders,
    payload: { name: 'Abandoned cart', graph },
  });
  expect(created.statusCode, created.body).toBe(201);
  journeyId = created.json().id;
  // A stored person whose consent the simulator reads; stored through ingestion, as in production.
  const identified = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: {
      userId: 'ada',
      traits: { email: 'ada@example.com', subscriptions: { email: true, sms: false } },
    },
  });
  expect(identified.statusCode, identified.body).toBe(200);
});
afterAll(async () => t.close());

describe('POST /api/journeys/:id/simulate', () => {
  it('runs the draft for a stored profile that never orders: timeout, the cart email, no SMS without consent, and nothing written', async () => {
    // Published too, so that the live runtime is listening: the simulation must still not reach it.
    const published = await t.app.inject({
      method: 'POST',
      url: `/api/journeys/${journeyId}/publish`,
      headers: adminHeaders,
      payload: {},
    });
    expect(published.statusCode, published.body).toBe(200);
    const before = await sideEffectCounts();

    const response = await simulate(journeyId, { profile: { userId: 'ada' }, start, events: [cartUpdated] });

    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ journeyId, version: 'draft', start: '2026-11-20T10:00:00.000Z' });
    expect(body.path.map((s: { nodeId: string; port: string | null }) => `${s.nodeId}:${s.port}`)).toEqual([
      'cart_updated:out',
      'wait_for_order:timeout',
      'email_cart:out',
      'wait_a_day:out',
      'still_no_order:no',
      'done:null',
    ]);
    expect(body.messages).toEqual([
      {
        nodeId: 'email_cart',
        channel: 'email',
        templateId: emailTemplateId,
        at: '2026-11-20T11:00:00.000Z',
        consent: true,
        transactional: false,
        suppressedReason: null,
      },
    ]);
    const condition = body.path.find((s: { nodeId: string }) => s.nodeId === 'still_no_order');
    expect(condition.reason).toContain('profile.traits.subscriptions.sms is false: notEqual false fails');
    expect(condition.facts).toEqual({
      'eventCount(order_completed, within P2D)': 0,
      'profile.traits.subscriptions.sms': false,
    });
    expect(body).toMatchObject({
      status: 'completed',
      converted: false,
      endedAt: '2026-11-21T11:00:00.000Z',
    });

    expect(await sideEffectCounts()).toEqual(before);
  });

  it('a made-up buyer who orders the same cart during the wait converts, with no message', async () => {
    const before = await sideEffectCounts();
    const response = await simulate(journeyId, {
      profile: {
        userId: 'someone-new',
        traits: { subscriptions: { email: true } },
        timezone: 'Europe/Paris',
      },
      start,
      events: [cartUpdated, { event: 'order_completed', after: 'PT20M', properties: { cart_id: 'c-42' } }],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'completed',
      converted: true,
      messages: [],
      path: [
        { nodeId: 'cart_updated', port: 'out' },
        {
          nodeId: 'wait_for_order',
          port: 'received',
          leftAt: '2026-11-20T10:20:00.000Z',
          reason: 'order_completed arrived (properties.cart_id matched)',
        },
        { nodeId: 'converted', port: null },
      ],
    });
    expect(await sideEffectCounts()).toEqual(before);
  });

  it('simulates a published version when asked, and 404s a version that does not exist', async () => {
    const ok = await simulate(journeyId, {
      profile: { traits: {} },
      start,
      events: [cartUpdated],
      version: 1,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: 1, status: 'completed' });
    const missing = await simulate(journeyId, { profile: { traits: {} }, events: [], version: 9 });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe(`body.version: journey ${journeyId} has no version 9`);
  });

  it('answers 422 with the compiler errors when the draft does not compile', async () => {
    const nodes = (graph.nodes as Array<{ id: string }>).filter((n) => n.id !== 'done');
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/journeys',
      headers: adminHeaders,
      payload: { name: 'Broken', graph: { ...graph, nodes } },
    });
    expect(broken.statusCode, broken.body).toBe(201);
    const response = await simulate(broken.json().id, { profile: { traits: {} }, events: [cartUpdated] });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toContainEqual({
      nodeId: 'still_no_order',
      port: 'no',
      code: 'unknown_target',
      message: 'edge "e_still_no_order_no" from port "no" leads to node "done", which does not exist',
    });
  });

  it('answers 404 naming an unknown userId, and an unknown journey', async () => {
    const response = await simulate(journeyId, { profile: { userId: 'nobody' }, events: [] });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      code: 'not_found',
      message: 'body.profile.userId: no profile "nobody" in this workspace',
    });
    const unknown = await simulate('00000000-0000-4000-8000-000000000000', {
      profile: { traits: {} },
      events: [],
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('answers 400 naming the field of a bad body', async () => {
    const cases: Array<[unknown, string]> = [
      [
        { profile: { traits: {} }, events: [{ event: 'cart_updated', after: 'soon' }] },
        'body.events.0.after',
      ],
      [
        { profile: { traits: {} }, events: [{ event: 'cart_updated', after: 'PT1M', at: start }] },
        'body.events.0.after',
      ],
      [{ profile: {}, events: [] }, 'body.profile'],
      [{ profile: { traits: {}, timezone: 'Mars/Olympus' }, events: [] }, 'body.profile.timezone'],
      [{ profile: { traits: {} }, events: [], version: 'latest' }, 'body.version'],
      [{ profile: { traits: {} }, events: [], start: 'tomorrow' }, 'body.start'],
      [{ profile: { traits: {} } }, 'body.events'],
    ];
    for (const [payload, field] of cases) {
      const response = await simulate(journeyId, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(
        response.json().issues.map((i: { path: string }) => i.path),
        JSON.stringify(payload),
      ).toContain(field);
    }
  });

  it("keeps to the caller's workspace: another workspace cannot simulate this journey", async () => {
    const other = await createWorkspace(t.database.db, 'Other');
    const token = 'tl_admin_simulate_other_0123456789';
    await insertApiKey(t.database.db, {
      workspaceId: other.id,
      kind: 'admin',
      name: 'other',
      tokenHash: hashToken(token),
      tokenPrefix: 'tl_admin_sim',
    });
    const response = await simulate(
      journeyId,
      { profile: { traits: {} }, events: [cartUpdated] },
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe(`journey ${journeyId} not found`);
  });
});
