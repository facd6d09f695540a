import { createDefaultChannels } from '@touchline/channels';
import { createDelivery } from '@touchline/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishEmailJourney, publishJourney } from '../../../test/journeys.js';
import { startSmtpServer } from '../../../test/smtp-server.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';
import { signDeliveryStatus } from './delivery-status.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let journeyId: string;
let secret: string;

const now = () => Math.floor(Date.now() / 1000);

/** A status report as a provider's relay sends it: signed, with the write key naming the workspace. */
const report = (body: unknown, options: { secret?: string; at?: number; signature?: string | null } = {}) => {
  const text = JSON.stringify(body);
  const signature =
    options.signature === undefined
      ? signDeliveryStatus(options.secret ?? secret, text, options.at ?? now())
      : options.signature;
  return t.app.inject({
    method: 'POST',
    url: '/v1/delivery-status',
    headers: {
      ...writeKeyHeaders,
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-touchline-signature': signature }),
    },
    payload: text,
  });
};

const api = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: adminHeaders, ...(payload ? { payload } : {}) });

const messagesOf = async (userId: string) =>
  (
    await sql<{
      id: string;
      status: string;
      suppressed_reason: string | null;
      provider_id: string | null;
      error: string | null;
    }>`
      select m.id, m.status, m.suppressed_reason, m.provider_id, m.error
        from messages m join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
       where p.user_id = ${userId} order by m.created_at`.execute(t.database.db)
  ).rows;

const eventsOf = async (userId: string) =>
  (
    await sql<{ event: string; properties: Record<string, unknown> }>`
      select e.event, e.properties from events e join profiles p on p.workspace_id = e.workspace_id and p.id = e.profile_id
       where p.user_id = ${userId} and e.type = 'track' order by e.received_at`.execute(t.database.db)
  ).rows;

/** Identifies the person and sends them the newsletter; resolves once delivery has finished with it. */
async function sendTo(userId: string, email: string, key: string) {
  const identified = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId, traits: { email } },
  });
  expect(identified.statusCode).toBe(200);
  const enrolled = await api('POST', `/api/journeys/${journeyId}/enroll`, { userId, key });
  expect(enrolled.json(), enrolled.body).toEqual({ entered: true });
  return eventually(async () => {
    const last = (await messagesOf(userId)).at(-1);
    expect(last?.status).toMatch(/^(sent|suppressed|failed)$/);
    return last!;
  });
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  const delivery = createDelivery({
    channels: createDefaultChannels({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      emailFrom: 'Shop <news@shop.test>',
      unsubscribeMailto: 'unsubscribe@shop.test',
    }),
  });
  t = await createTestApp({}, undefined, { worker: true, delivery });
  const template = await api('POST', '/api/templates', {
    name: 'News',
    channel: 'email',
    subject: 'News',
    mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>News</mj-text></mj-column></mj-section></mj-body></mjml>',
  });
  expect(template.statusCode, template.body).toBe(201);
  journeyId = await publishEmailJourney(t, 'Newsletter', template.json().id);
  // A journey reacting to bounces, as a marketer would build one.
  await publishJourney(t, 'Bounce follow-up', {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'trigger.event', config: { event: 'email_bounced' }, position: { x: 0, y: 0 } },
      { id: 'tag', type: 'profile.update', config: { addTags: ['bounced'] }, position: { x: 0, y: 100 } },
      { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'tag' },
      { id: 'e2', source: 'tag', sourcePort: 'out', target: 'done' },
    ],
    settings: { reentry: 'always' },
  });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('delivery status webhooks', () => {
  it('refuses reports until the workspace has a secret, and unsigned, forged or stale ones after', async () => {
    const body = { messageId: '00000000-0000-4000-8000-000000000000', status: 'delivered' };
    const none = await report(body, { secret: 'anything' });
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toMatch(
      /no delivery status secret: create one with POST \/api\/delivery-status\/secret/,
    );

    const created = await api('POST', '/api/delivery-status/secret');
    expect(created.statusCode, created.body).toBe(201);
    secret = created.json().secret;
    expect(secret).toMatch(/^tl_dss_/);

    const unsigned = await report(body, { signature: null });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().message).toMatch(/^headers\.x-touchline-signature: required/);
    const forged = await report(body, { secret: 'not the secret' });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().message).toMatch(/does not match/);
    const stale = await report(body, { at: now() - 301 });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().message).toMatch(/more than 300 s from now/);
    const tampered = await t.app.inject({
      method: 'POST',
      url: '/v1/delivery-status',
      headers: {
        ...writeKeyHeaders,
        'content-type': 'application/json',
        'x-touchline-signature': signDeliveryStatus(secret, JSON.stringify(body), now()),
      },
      payload: JSON.stringify({ ...body, status: 'complained' }),
    });
    expect(tampered.statusCode).toBe(401);
    const noWriteKey = await t.app.inject({
      method: 'POST',
      url: '/v1/delivery-status',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(noWriteKey.statusCode).toBe(401);

    const unknown = await report(body);
    expect(unknown.statusCode, unknown.body).toBe(200);
    expect(unknown.json().results).toEqual([
      { index: 0, messageId: body.messageId, providerId: null, outcome: 'unknown_message' },
    ]);
  });

  it('names the field of an invalid report', async () => {
    const invalid = await report({
      batch: [{ messageId: '00000000-0000-4000-8000-000000000000', status: 'lost' }],
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().message).toBe(
      'body.batch.0.status: must be one of delivered, bounced, complained, failed',
    );
    const nameless = await report({ status: 'delivered' });
    expect(nameless.statusCode).toBe(400);
    expect(nameless.json().message).toBe('body.batch.0.messageId: send messageId or providerId');
  });

  it('a hard bounce fails the message, tells journeys, and suppresses the address: the next send is suppressed', async () => {
    const first = await sendTo('ada', 'Ada@Example.com', 'news-1');
    expect(first.status).toBe('sent');
    expect(smtp.received.filter((m) => JSON.stringify(m.to).toLowerCase().includes('ada@'))).toHaveLength(1);
    // The provider names the message by its own id: SMTP's Message-ID, without the brackets.
    const providerId = first.provider_id!.replace(/^<|>$/g, '');
    const bounce = { providerId, status: 'bounced', bounce: 'hard', reason: '550 5.1.1 user unknown' };
    const bounced = await report(bounce);
    expect(bounced.statusCode, bounced.body).toBe(200);
    expect(bounced.json().results[0].outcome).toBe('applied');
    const repeated = await report({ batch: [bounce] });
    expect(repeated.json().results[0].outcome).toBe('duplicate');

    expect((await messagesOf('ada'))[0]).toMatchObject({
      status: 'failed',
      error: 'bounced (hard): 550 5.1.1 user unknown',
    });
    const list = (await api('GET', '/api/suppressions?channel=email')).json().suppressions;
    expect(list).toEqual([
      expect.objectContaining({
        address: 'ada@example.com',
        reason: 'bounced',
        sourceMessageId: first.id,
        detail: '550 5.1.1 user unknown',
      }),
    ]);
    const events = (await eventsOf('ada')).filter((e) => e.event === 'email_bounced');
    expect(events).toHaveLength(1);
    expect(events[0]?.properties).toMatchObject({
      message_id: first.id,
      bounce_type: 'hard',
      journey_id: journeyId,
    });
    await eventually(async () => {
      const profile = (await api('GET', '/api/profiles/ada')).json();
      expect(JSON.stringify(profile)).toContain('"bounced"');
    });

    const second = await sendTo('ada', 'ada@example.com', 'news-2');
    expect(second).toMatchObject({ status: 'suppressed', suppressed_reason: 'suppressed_address' });
    expect(smtp.received.filter((m) => JSON.stringify(m.to).toLowerCase().includes('ada@'))).toHaveLength(1);
  });

  it('delivered moves a sent message forward, never an opened one back; a soft bounce only tells journeys', async () => {
    const sent = await sendTo('bea', 'bea@example.com', 'news-bea');
    const delivered = await report({ messageId: sent.id, status: 'delivered', at: '2026-12-01T10:00:00Z' });
    expect(delivered.json().results[0].outcome).toBe('applied');
    expect((await messagesOf('bea'))[0]?.status).toBe('delivered');

    const late = await sendTo('cid', 'cid@example.com', 'news-cid');
    // Opened (the pixel) before the provider's report arrived.
    await sql`update messages set status = 'opened' where id = ${late.id}`.execute(t.database.db);
    await report({ messageId: late.id, status: 'delivered' });
    const soft = await report({
      messageId: late.id,
      status: 'bounced',
      bounce: 'soft',
      reason: 'mailbox full',
    });
    expect(soft.json().results[0].outcome).toBe('applied');
    expect((await messagesOf('cid'))[0]?.status).toBe('opened');
    expect((await eventsOf('cid')).map((e) => e.event)).toEqual(['email_delivered', 'email_bounced']);
    const list = (await api('GET', '/api/suppressions')).json().suppressions as Array<{ address: string }>;
    expect(list.map((s) => s.address)).not.toContain('cid@example.com');
  });

  it('a complaint suppresses the address and keeps the status; the previous secret works after a rotation', async () => {
    const sent = await sendTo('dan', 'dan@example.com', 'news-dan');
    const old = secret;
    const rotated = await api('POST', '/api/delivery-status/secret');
    secret = rotated.json().secret;
    expect(secret).not.toBe(old);
    const complained = await report({ messageId: sent.id, status: 'complained' }, { secret: old });
    expect(complained.statusCode, complained.body).toBe(200);
    expect(complained.json().results[0].outcome).toBe('applied');
    expect((await messagesOf('dan'))[0]?.status).toBe('sent');
    expect((await eventsOf('dan')).map((e) => e.event)).toEqual(['email_complained']);
    const list = (await api('GET', '/api/suppressions')).json().suppressions;
    expect(list).toContainEqual(
      expect.objectContaining({ address: 'dan@example.com', reason: 'complained' }),
    );
  });
});
