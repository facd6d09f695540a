import { Analytics } from '@segment/analytics-node';
import { createBuiltinRegistry } from '@touchline/nodes';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fixtureJourney, publishJourney } from '../test/journeys.js';
import { adminHeaders, createTestApp, credentials, type TestApp, writeKeyHeaders } from '../test/test-app.js';

// The runtime's clock runs ahead of the wall clock by `offset` when a test fast-forwards; the
// queue's own clock is PostgreSQL's, so fast-forwarding also brings due jobs forward.
let offset = 0;
let t: TestApp;
let journeyId: string;

beforeAll(async () => {
  t = await createTestApp({}, createBuiltinRegistry(), {
    worker: true,
    now: () => new Date(Date.now() + offset),
    horizonMs: 7 * 24 * 3_600_000,
  });
  journeyId = await publishJourney(t, 'Abandoned cart', await fixtureJourney(t, 'abandoned-cart'));
});
afterAll(async () => t.close());

async function baseUrl(): Promise<string> {
  if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

/** Moves time forward: the runtime's clock, and every job due by then runs now. */
async function fastForward(ms: number): Promise<void> {
  offset += ms;
  await sql`update graphile_worker._private_jobs set run_at = now()
             where run_at <= now() + make_interval(secs => ${offset / 1000})`.execute(t.database.db);
  await sql`select pg_notify('jobs:insert', '{}')`.execute(t.database.db);
}

async function profileId(userId: string): Promise<string> {
  const row = await t.database.db
    .selectFrom('profile_identities')
    .select('profile_id')
    .where('workspace_id', '=', t.workspaceId)
    .where('value', '=', userId)
    .executeTakeFirstOrThrow();
  return row.profile_id;
}

async function enrollmentsOf(userId: string) {
  return t.database.db
    .selectFrom('enrollments')
    .selectAll()
    .where('workspace_id', '=', t.workspaceId)
    .where('journey_id', '=', journeyId)
    .where('profile_id', '=', await profileId(userId))
    .execute();
}

async function messagesOf(userId: string) {
  return t.database.db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', t.workspaceId)
    .where('profile_id', '=', await profileId(userId))
    .orderBy('created_at')
    .execute();
}

const track = (userId: string, event: string, properties: Record<string, unknown>, messageId?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: writeKeyHeaders,
    payload: { userId, event, properties, ...(messageId ? { messageId } : {}) },
  });

describe('the abandoned-cart journey of DESIGN.md, end to end over HTTP', () => {
  it('enrolls once per cart event sent twice, times out after an hour and puts the email with the cart in the outbox; a buyer gets nothing', async () => {
    const analytics = new Analytics({
      writeKey: credentials.writeKey,
      host: await baseUrl(),
      flushAt: 10,
      maxRetries: 0,
    });
    const errors: unknown[] = [];
    analytics.on('error', (error) => errors.push(error));
    analytics.identify({ userId: 'ada', traits: { email: 'ada@example.com', name: 'Ada' } });
    const cart = {
      cart_id: 'cart-ada',
      cart_value: 120,
      items: [{ sku: 'SKU-1', name: 'Boots', price: 120 }],
    };
    // The same event twice (a client retry): one enrollment.
    analytics.track({ userId: 'ada', event: 'cart_updated', properties: cart, messageId: 'ada-cart-1' });
    analytics.track({ userId: 'ada', event: 'cart_updated', properties: cart, messageId: 'ada-cart-1' });
    analytics.identify({ userId: 'bob', traits: { email: 'bob@example.com', name: 'Bob' } });
    analytics.track({
      userId: 'bob',
      event: 'cart_updated',
      properties: { cart_id: 'cart-bob', cart_value: 80 },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    const [ada] = await eventually(async () => {
      const rows = await enrollmentsOf('ada');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'waiting', current_node: 'wait_for_order' });
      return rows;
    });
    await eventually(async () => expect(await enrollmentsOf('bob')).toHaveLength(1));

    // Bob orders during the wait: the awaited event (same cart) resumes him by `received`.
    expect((await track('bob', 'order_completed', { cart_id: 'cart-bob', revenue: 80 })).statusCode).toBe(
      200,
    );
    await eventually(async () => {
      const [bob] = await enrollmentsOf('bob');
      expect(bob).toMatchObject({ status: 'completed', current_node: 'converted' });
      expect(bob?.converted_at).not.toBeNull();
    });

    await fastForward(61 * 60_000);
    const [email] = await eventually(async () => {
      const messages = await messagesOf('ada');
      expect(messages).toHaveLength(1);
      return messages;
    });
    expect(email).toMatchObject({ channel: 'email', node_id: 'email_cart', enrollment_id: ada?.id });
    expect(email?.content).toMatchObject({ triggerEvent: { properties: cart } });
    await eventually(async () => {
      const [row] = await enrollmentsOf('ada');
      expect(row).toMatchObject({ status: 'waiting', current_node: 'wait_a_day' });
    });
    // The delivery job ran (the sandbox channel until channels are configured).
    await eventually(async () => expect((await messagesOf('ada'))[0]?.status).toBe('sent'));
    expect(await messagesOf('bob')).toEqual([]);

    // The step log says where Ada went, and why.
    const profile = await t.app.inject({ method: 'GET', url: '/api/profiles/ada', headers: adminHeaders });
    expect(profile.statusCode).toBe(200);
    const journeys = profile.json().enrollments as Array<{
      path: Array<{ nodeId: string; port: string | null }>;
    }>;
    expect(journeys[0]?.path.map((s) => [s.nodeId, s.port])).toEqual([
      ['cart_updated', 'out'],
      ['wait_for_order', 'timeout'],
      ['email_cart', 'out'],
      ['wait_a_day', null],
    ]);
  });

  it('counts per node: entered, waiting now and exits per port', async () => {
    const stats = await t.app.inject({
      method: 'GET',
      url: `/api/journeys/${journeyId}/stats`,
      headers: adminHeaders,
    });
    expect(stats.statusCode, stats.body).toBe(200);
    const nodes = stats.json().nodes as Record<
      string,
      { entered: number; waiting: number; ports: Record<string, number> }
    >;
    expect(nodes.cart_updated).toMatchObject({ entered: 2, ports: { out: 2 } });
    expect(nodes.wait_for_order).toMatchObject({
      entered: 2,
      waiting: 0,
      ports: { received: 1, timeout: 1 },
    });
    expect(nodes.wait_a_day).toMatchObject({ entered: 1, waiting: 1 });
    expect(nodes.converted).toMatchObject({ entered: 1 });
    expect(stats.json().totals).toMatchObject({ entered: 2, running: 1, converted: 1 });
  });

  it('ends an enrollment wherever it is when an exit event arrives', async () => {
    expect((await track('ada', 'order_completed', { cart_id: 'another-cart', revenue: 10 })).statusCode).toBe(
      200,
    );
    await eventually(async () => {
      const [row] = await enrollmentsOf('ada');
      expect(row).toMatchObject({ status: 'completed', end_reason: 'goal: order_completed' });
    });
    // Its timer was removed with it.
    const jobs = await sql<{ n: number }>`select count(*)::int as n from graphile_worker._private_jobs
                                           where key like 'wake:%'`.execute(t.database.db);
    expect(jobs.rows[0]?.n).toBe(0);
  });
});
