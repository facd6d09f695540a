import { randomUUID } from 'node:crypto';
import { clickUrl, openPixelUrl, signTrackingToken, unsubscribeUrl } from '@touchline/channels';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJourney } from '../../test/journeys.js';
import { enrollmentsOf, graph, identify, node, settled } from '../../test/runtime-harness.js';
import { adminHeaders, createTestApp, type TestApp } from '../../test/test-app.js';

let t: TestApp;
let base: string;
let journeyId: string;
let enrollments = 0;

/** Enrolls `userId` in the API-triggered journey and returns the id of the email it queued. */
async function sendEmail(userId: string, status = 'sent'): Promise<string> {
  const enrolled = await t.app.inject({
    method: 'POST',
    url: `/api/journeys/${journeyId}/enroll`,
    headers: adminHeaders,
    payload: { userId, key: `send-${++enrollments}` },
  });
  expect(enrolled.json()).toEqual({ entered: true });
  const row = await sql<{ id: string; status: string }>`
    select m.id, m.status from messages m join profiles p on p.id = m.profile_id
     where p.user_id = ${userId} order by m.created_at desc limit 1`.execute(t.database.db);
  const message = row.rows[0];
  expect(message?.status).toBe('queued');
  // What the delivery worker does once the SMTP server has taken the message.
  await sql`update messages set status = ${status} where id = ${message?.id}`.execute(t.database.db);
  return message?.id as string;
}

const statusOf = async (messageId: string) =>
  (await sql<{ status: string }>`select status from messages where id = ${messageId}`.execute(t.database.db))
    .rows[0]?.status;

interface StoredEvent {
  message_id: string;
  type: string;
  event: string | null;
  user_id: string | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
}

/** Events stored about one outbox message, oldest first. */
const eventsOf = async (messageId: string) =>
  (
    await sql<StoredEvent>`
      select message_id, type, event, user_id, properties, context from events
       where message_id like ${`touchline:%${messageId}%`} order by id`.execute(t.database.db)
  ).rows;

const traitsOf = async (userId: string) =>
  (
    await sql<{
      traits: Record<string, unknown>;
    }>`select traits from profiles where user_id = ${userId}`.execute(t.database.db)
  ).rows[0]?.traits;

const secret = () => t.services.trackingSecrets;

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const template = await t.app.inject({
    method: 'POST',
    url: '/api/templates',
    headers: adminHeaders,
    payload: { name: 'News', channel: 'email', subject: 'News', mjml: '<mjml><mj-body></mj-body></mjml>' },
  });
  expect(template.statusCode, template.body).toBe(201);
  journeyId = await publishJourney(
    t,
    'Newsletter by API',
    graph(
      [
        node('start', 'trigger.api'),
        node('email', 'send.email', { templateId: template.json().id }),
        node('done', 'exit'),
      ],
      [
        ['start', 'out', 'email'],
        ['email', 'out', 'done'],
        ['email', 'suppressed', 'done'],
      ],
      { reentry: 'always' },
    ),
  );
  for (const userId of ['ada', 'bob', 'cy', 'dee', 'eve']) {
    await identify(t, userId, { email: `${userId}@example.com`, subscriptions: { email: true, sms: true } });
  }
});
afterAll(async () => t.close());

describe('GET /t/o/:token (open pixel)', () => {
  it('answers a transparent GIF that is never cached, and records the first open only', async () => {
    const messageId = await sendEmail('ada');
    const url = openPixelUrl(base, secret(), messageId);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(url, { headers: { 'user-agent': 'Mail/1.0' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/gif');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.subarray(0, 6).toString()).toBe('GIF89a');
      expect(body.length).toBe(42);
    }
    expect(await statusOf(messageId)).toBe('opened');
    const events = await eventsOf(messageId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'track',
      event: 'email_opened',
      user_id: 'ada',
      properties: {
        message_id: messageId,
        channel: 'email',
        journey_id: journeyId,
        node_id: 'email',
        via: 'pixel',
      },
      context: { userAgent: 'Mail/1.0' },
    });
  });

  it('never moves a status backwards: an open after a click leaves the message clicked', async () => {
    const messageId = await sendEmail('bob');
    const click = await fetch(clickUrl(base, secret(), messageId, 'https://example.com/a'), {
      redirect: 'manual',
    });
    expect(click.status).toBe(302);
    expect(await statusOf(messageId)).toBe('clicked');
    expect((await fetch(openPixelUrl(base, secret(), messageId))).status).toBe(200);
    expect(await statusOf(messageId)).toBe('clicked');
    // The click stood in for the open the pixel never reported (images blocked); the pixel adds none.
    expect((await eventsOf(messageId)).map((e) => [e.event, e.properties.via])).toEqual([
      ['email_opened', 'click'],
      ['email_clicked', undefined],
    ]);
  });

  it('leaves a message delivery has not marked sent, or failed, or suppressed, as it is; moves a delivered one', async () => {
    for (const status of ['queued', 'failed', 'suppressed']) {
      const messageId = await sendEmail('cy', status);
      await fetch(openPixelUrl(base, secret(), messageId));
      await fetch(clickUrl(base, secret(), messageId, 'https://example.com/'), { redirect: 'manual' });
      expect(await statusOf(messageId)).toBe(status);
    }
    const delivered = await sendEmail('cy', 'delivered');
    await fetch(openPixelUrl(base, secret(), delivered));
    expect(await statusOf(delivered)).toBe('opened');
  });
});

describe('GET /t/c/:token (click redirect)', () => {
  it('redirects to the signed URL, records email_clicked once per link, and marks the message clicked', async () => {
    const messageId = await sendEmail('dee');
    const target = 'https://shop.example.com/cart?utm_source=touchline&items=a%2Cb#top';
    const url = clickUrl(base, secret(), messageId, target);
    for (let i = 0; i < 2; i++) {
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(target);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    const other = await fetch(clickUrl(base, secret(), messageId, 'https://shop.example.com/b'), {
      redirect: 'manual',
    });
    expect(other.headers.get('location')).toBe('https://shop.example.com/b');
    expect(await statusOf(messageId)).toBe('clicked');
    const clicks = (await eventsOf(messageId)).filter((e) => e.event === 'email_clicked');
    expect(clicks.map((e) => e.properties.url)).toEqual([target, 'https://shop.example.com/b']);
    expect(clicks[0]?.properties).toMatchObject({ message_id: messageId, journey_id: journeyId });
  });

  it('records nothing for a HEAD request (link scanners), and still redirects', async () => {
    const messageId = await sendEmail('dee');
    const response = await fetch(clickUrl(base, secret(), messageId, 'https://example.com/'), {
      method: 'HEAD',
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(await eventsOf(messageId)).toEqual([]);
    expect(await statusOf(messageId)).toBe('sent');
  });
});

describe('bad tokens', () => {
  it('answer 404 whatever is wrong, the pixel still a GIF, and record nothing', async () => {
    const messageId = await sendEmail('eve');
    const open = signTrackingToken(secret(), { kind: 'open', messageId });
    const click = signTrackingToken(secret(), { kind: 'click', messageId, url: 'https://example.com/' });
    const unsubscribe = signTrackingToken(secret(), { kind: 'unsubscribe', messageId });
    const tamper = (token: string) =>
      `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    const forged = signTrackingToken('a-secret-nobody-here-knows', { kind: 'open', messageId });
    const gone = signTrackingToken(secret(), { kind: 'open', messageId: randomUUID() });

    for (const token of [
      tamper(open),
      open.slice(0, -2),
      click,
      unsubscribe,
      forged,
      gone,
      'x',
      'a'.repeat(300),
    ]) {
      const response = await fetch(`${base}/t/o/${token}`);
      expect(response.status, token).toBe(404);
      expect(response.headers.get('content-type')).toBe('image/gif');
      expect(
        Buffer.from(await response.arrayBuffer())
          .subarray(0, 3)
          .toString(),
      ).toBe('GIF');
    }
    const evil = Buffer.from(click, 'base64url');
    evil.write('https://evil.example/', 19);
    for (const token of [tamper(click), open, unsubscribe, evil.toString('base64url')]) {
      const response = await fetch(`${base}/t/c/${token}`, { redirect: 'manual' });
      expect(response.status, token).toBe(404);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toBe('This link is not valid.');
    }
    for (const token of [tamper(unsubscribe), open, click]) {
      for (const method of ['GET', 'POST']) {
        const response = await fetch(`${base}/u/${token}`, { method });
        expect(response.status, `${method} ${token}`).toBe(404);
        expect(await response.text()).toContain('This link is not valid');
      }
    }
    expect(await eventsOf(messageId)).toEqual([]);
    expect(await statusOf(messageId)).toBe('sent');
    expect((await traitsOf('eve'))?.subscriptions).toEqual({ email: true, sms: true });
  });
});

describe('GET|POST /u/:token (unsubscribe)', () => {
  it('asks first: the page has a button that posts, and a GET changes nothing', async () => {
    const messageId = await sendEmail('eve');
    const response = await fetch(unsubscribeUrl(base, secret(), messageId));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    expect(page).toContain('<form method="post">');
    expect(page).toContain('name="List-Unsubscribe" value="One-Click"');
    expect((await traitsOf('eve'))?.subscriptions).toEqual({ email: true, sms: true });
    expect(await eventsOf(messageId)).toEqual([]);
  });

  it('unsubscribes on an RFC 8058 one-click POST: email consent false, the other channels kept, once', async () => {
    const messageId = await sendEmail('eve');
    const url = unsubscribeUrl(base, secret(), messageId);
    const oneClick = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You are unsubscribed');
    expect((await traitsOf('eve'))?.subscriptions).toEqual({ email: false, sms: true });

    // Repeats (the mailbox provider and the reader's own click, any body or none) change nothing.
    for (const init of [
      { method: 'POST' },
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' },
      { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) },
      {
        method: 'POST',
        body: (() => {
          const form = new FormData();
          form.set('List-Unsubscribe', 'One-Click');
          return form;
        })(),
      },
    ]) {
      const again = await fetch(url, init);
      expect(again.status).toBe(200);
    }
    const events = await eventsOf(messageId);
    expect(events.map((e) => [e.type, e.event])).toEqual([
      ['identify', null],
      ['track', 'unsubscribed'],
    ]);
    expect(events[1]?.properties).toMatchObject({
      message_id: messageId,
      channel: 'email',
      journey_id: journeyId,
    });
  });

  it('keeps the next marketing email from being sent, and unsubscribes again after a re-subscribe', async () => {
    // eve is unsubscribed by the previous test: the journey's next email is suppressed.
    const enrolled = await t.app.inject({
      method: 'POST',
      url: `/api/journeys/${journeyId}/enroll`,
      headers: adminHeaders,
      payload: { userId: 'eve', key: 'after-unsubscribe' },
    });
    expect(enrolled.json()).toEqual({ entered: true });
    const latest = await sql<{ id: string; status: string; suppressed_reason: string | null }>`
      select m.id, m.status, m.suppressed_reason from messages m join profiles p on p.id = m.profile_id
       where p.user_id = 'eve' order by m.created_at desc limit 1`.execute(t.database.db);
    expect(latest.rows[0]).toMatchObject({ status: 'suppressed', suppressed_reason: 'unsubscribed' });

    const old = (
      await sql<{ id: string }>`
        select m.id from messages m join profiles p on p.id = m.profile_id
         where p.user_id = 'eve' and m.status = 'sent' order by m.created_at limit 1`.execute(t.database.db)
    ).rows[0]?.id as string;
    await identify(t, 'eve', { subscriptions: { email: true } });
    const response = await fetch(unsubscribeUrl(base, secret(), old), { method: 'POST' });
    expect(response.status).toBe(200);
    expect((await traitsOf('eve'))?.subscriptions).toEqual({ email: false, sms: true });
  });
});

describe('journeys react to tracking events', () => {
  it('enrolls the person who clicked in a journey triggered by email_clicked', async () => {
    const clicked = await publishJourney(
      t,
      'Clicked the newsletter',
      graph(
        [
          node('start', 'trigger.event', { event: 'email_clicked' }),
          node('tag', 'profile.update', { addTags: ['engaged'] }),
          node('done', 'exit'),
        ],
        [
          ['start', 'out', 'tag'],
          ['tag', 'out', 'done'],
        ],
      ),
    );
    const messageId = await sendEmail('ada');
    const response = await fetch(clickUrl(base, secret(), messageId, 'https://example.com/news'), {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    await settled(t);
    const enrolled = await enrollmentsOf(t, clicked, 'ada');
    expect(enrolled).toHaveLength(1);
    expect(enrolled[0]?.status).toBe('completed');
    expect(await enrollmentsOf(t, clicked, 'bob')).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('lists the tracking routes, without authentication', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const [path, method] of [
      ['/t/o/{token}', 'get'],
      ['/t/c/{token}', 'get'],
      ['/u/{token}', 'get'],
      ['/u/{token}', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['tracking']);
      expect(doc.paths[path][method].security).toBeUndefined();
    }
  });
});
