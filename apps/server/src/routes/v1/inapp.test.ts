import { createHmac } from 'node:crypto';
import { createDefaultChannels } from '@touchline/channels';
import { createDelivery } from '@touchline/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishJourney } from '../../../test/journeys.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';

let t: TestApp;

const statusOf = async (id: string) =>
  (await sql<{ status: string }>`select status from messages where id = ${id}`.execute(t.database.db)).rows[0]
    ?.status;

const inbox = (userId: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'GET',
    url: `/v1/inapp?userId=${encodeURIComponent(userId)}`,
    headers: { ...writeKeyHeaders, ...headers },
  });

async function sendInApp(userId: string, event: string) {
  const identified = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId, traits: { first_name: userId.toUpperCase() } },
  });
  expect(identified.statusCode).toBe(200);
  const tracked = await t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: writeKeyHeaders,
    payload: { userId, event, messageId: `${event}-${userId}`, properties: { order: 'A-1' } },
  });
  expect(tracked.statusCode).toBe(200);
}

beforeAll(async () => {
  // The environment's adapters, as `pnpm start` has them: in-app messages go to the inbox.
  const delivery = createDelivery({
    channels: createDefaultChannels({}),
    secrets: ['inapp-test-secret-0123456789'],
  });
  t = await createTestApp({ secrets: ['inapp-test-secret-0123456789'] }, undefined, {
    worker: true,
    delivery,
  });
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/templates',
    headers: adminHeaders,
    payload: {
      name: 'Shipped',
      channel: 'inapp',
      title: 'Hi {{ profile.first_name }}',
      body: 'Order {{ event.properties.order }} shipped',
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  await publishJourney(t, 'Shipped in-app', {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'trigger.event', config: { event: 'order_shipped' }, position: { x: 0, y: 0 } },
      {
        id: 'send',
        type: 'send.inapp',
        config: { templateId: created.json().id },
        position: { x: 0, y: 100 },
      },
      { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'send' },
      { id: 'e2', source: 'send', sourcePort: 'out', target: 'done' },
      { id: 'e3', source: 'send', sourcePort: 'suppressed', target: 'done' },
    ],
    settings: { reentry: 'always' },
  });
});
afterAll(async () => {
  await t?.close();
});

describe('in-app inbox', () => {
  it('hands the app its unread messages (delivered), and a read one is opened and gone', async () => {
    await sendInApp('ann', 'order_shipped');
    const first = await eventually(async () => {
      const answered = await inbox('ann');
      expect(answered.statusCode, answered.body).toBe(200);
      expect(answered.json().messages).toHaveLength(1);
      return answered.json().messages[0];
    });
    expect(first).toMatchObject({ title: 'Hi ANN', body: 'Order A-1 shipped', status: 'delivered' });
    expect(await statusOf(first.id)).toBe('delivered');
    // Still unread: fetched again until it is read.
    expect((await inbox('ann')).json().messages.map((m: { id: string }) => m.id)).toEqual([first.id]);

    // Another user's id does not reach it.
    await sendInApp('ben', 'order_shipped');
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/v1/inapp/${first.id}/read?userId=ben`,
      headers: writeKeyHeaders,
    });
    expect(foreign.statusCode).toBe(404);

    const read = await t.app.inject({
      method: 'POST',
      url: `/v1/inapp/${first.id}/read?userId=ann`,
      headers: writeKeyHeaders,
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({ id: first.id, status: 'opened', changed: true });
    expect(await statusOf(first.id)).toBe('opened');
    expect((await inbox('ann')).json().messages).toEqual([]);
  });

  it('asks for the user hash once the workspace turns identity verification on', async () => {
    const identitySecret = 'inapp-identity-secret-abcdef';
    const missing = await t.app.inject({
      method: 'PUT',
      url: '/api/workspace/channels/inapp',
      headers: adminHeaders,
      payload: { adapter: 'inapp', requireUserHash: true },
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().message).toBe('body.identitySecret: is required (no stored value to keep)');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/workspace/channels/inapp',
      headers: adminHeaders,
      payload: { adapter: 'inapp', requireUserHash: true, identitySecret },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().settings.identitySecret).toBe('••••cdef');

    expect((await inbox('ben')).statusCode).toBe(401);
    expect((await inbox('ben', { 'x-touchline-user-hash': 'ab'.repeat(32) })).statusCode).toBe(401);
    const hash = createHmac('sha256', identitySecret).update('ben').digest('hex');
    const answered = await eventually(async () => {
      const r = await inbox('ben', { 'x-touchline-user-hash': hash });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().messages).toHaveLength(1);
      return r;
    });
    expect(answered.json().messages[0]).toMatchObject({ title: 'Hi BEN' });
  });

  it('refuses an inbox call without the write key', async () => {
    const answered = await t.app.inject({ method: 'GET', url: '/v1/inapp?userId=ann' });
    expect(answered.statusCode).toBe(401);
    const noUser = await t.app.inject({ method: 'GET', url: '/v1/inapp', headers: writeKeyHeaders });
    expect(noUser.statusCode).toBe(400);
    expect(noUser.json().message).toMatch(/querystring\.userId/);
  });
});
