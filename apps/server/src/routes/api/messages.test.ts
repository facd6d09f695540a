import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEmailJourney } from '../../../test/journeys.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';

let t: TestApp;
let journeyId: string;

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: adminHeaders });

beforeAll(async () => {
  t = await createTestApp();
  const template = await t.app.inject({
    method: 'POST',
    url: '/api/templates',
    headers: adminHeaders,
    payload: { name: 'Welcome', channel: 'email', subject: 'Hi', mjml: '<mjml><mj-body></mj-body></mjml>' },
  });
  expect(template.statusCode).toBe(201);
  journeyId = await publishEmailJourney(t, 'Welcome by API', template.json().id);
  for (const userId of ['mia', 'noah']) {
    const identified = await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: writeKeyHeaders,
      payload: { userId, traits: { email: `${userId}@example.com` } },
    });
    expect(identified.statusCode).toBe(200);
  }
  for (const [userId, key] of [
    ['mia', 'a'],
    ['noah', 'b'],
    ['mia', 'c'],
  ]) {
    const enrolled = await t.app.inject({
      method: 'POST',
      url: `/api/journeys/${journeyId}/enroll`,
      headers: adminHeaders,
      payload: { userId, key },
    });
    expect(enrolled.json()).toEqual({ entered: true });
  }
});
afterAll(async () => t.close());

describe('GET /api/messages', () => {
  it("lists a person's messages in a journey, newest first, with what the send put in the outbox", async () => {
    const response = await get(`/api/messages?userId=mia&journeyId=${journeyId}`);
    expect(response.statusCode, response.body).toBe(200);
    const { messages } = response.json();
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({
      userId: 'mia',
      journeyId,
      nodeId: 'email',
      channel: 'email',
      status: 'queued',
    });
    expect(messages[0].createdAt >= messages[1].createdAt).toBe(true);
    expect((await get('/api/messages?userId=someone-else')).json()).toEqual({
      messages: [],
      nextBefore: null,
    });
  });

  it('pages with nextBefore until the last page, and filters by channel and status', async () => {
    const seen: string[] = [];
    let url = `/api/messages?journeyId=${journeyId}&limit=2`;
    for (;;) {
      const page = (await get(url)).json();
      seen.push(...page.messages.map((m: { id: string }) => m.id));
      if (!page.nextBefore) break;
      url = `/api/messages?journeyId=${journeyId}&limit=2&before=${page.nextBefore}`;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
    expect((await get('/api/messages?channel=sms')).json().messages).toEqual([]);
    expect((await get('/api/messages?channel=email&status=queued')).json().messages).toHaveLength(3);
  });

  it('names the field of a bad query', async () => {
    const status = await get('/api/messages?status=lost');
    expect(status.statusCode).toBe(400);
    expect(status.json().message).toMatch(/status: must be one of queued/);
    const cursor = await get('/api/messages?before=nonsense');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().message).toMatch(/before: must be the nextBefore of a previous page/);
  });
});
