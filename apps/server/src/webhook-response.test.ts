import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDefaultChannels } from '@touchline/channels';
import { createDelivery } from '@touchline/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishJourney } from '../test/journeys.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../test/test-app.js';

const received: Array<{ url: string; body: string }> = [];
let hooks: Server;
let base: string;
let t: TestApp;

/** A local endpoint: `/score` answers JSON, `/big` answers JSON over 64 KiB, `/text` plain text. */
function answer(url: string): { type: string; body: string; status?: number } {
  if (url.startsWith('/gone')) return { type: 'application/json', body: '{"tier":"gold"}', status: 410 };
  if (url.startsWith('/score')) return { type: 'application/json', body: '{"tier":"gold","score":7}' };
  if (url.startsWith('/big')) {
    return { type: 'application/json', body: JSON.stringify({ tier: 'gold', pad: 'x'.repeat(70_000) }) };
  }
  if (url.startsWith('/text')) return { type: 'text/plain', body: 'tier=gold' };
  return { type: 'application/json', body: '{}' };
}

/** trigger → webhook (its answer saved as `scoring`) → gold? tag the profile : end. */
const scoringJourney = (name: string, event: string, url: string, saveResponseAs?: string) =>
  publishJourney(t, name, {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'trigger.event', config: { event }, position: { x: 0, y: 0 } },
      {
        id: 'hook',
        type: 'send.webhook',
        config: {
          url,
          method: 'POST',
          body: { user: '{{ profile.user_id }}' },
          ...(saveResponseAs ? { saveResponseAs } : {}),
        },
        position: { x: 0, y: 100 },
      },
      {
        id: 'is_gold',
        type: 'condition',
        config: {
          conditions: {
            all: [{ fact: 'journey', path: 'variables.scoring.tier', operator: 'equal', value: 'gold' }],
          },
        },
        position: { x: 0, y: 200 },
      },
      { id: 'tag', type: 'profile.update', config: { addTags: ['gold'] }, position: { x: 0, y: 300 } },
      { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 400 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'hook' },
      { id: 'e2', source: 'hook', sourcePort: 'out', target: 'is_gold' },
      { id: 'e3', source: 'hook', sourcePort: 'suppressed', target: 'done' },
      { id: 'e4', source: 'is_gold', sourcePort: 'yes', target: 'tag' },
      { id: 'e5', source: 'is_gold', sourcePort: 'no', target: 'done' },
      { id: 'e6', source: 'tag', sourcePort: 'out', target: 'done' },
    ],
    settings: { reentry: 'always' },
  });

const identify = async (userId: string) => {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId, traits: { first_name: 'Ada' } },
  });
  expect(response.statusCode, response.body).toBe(200);
};

const track = async (userId: string, event: string, properties: Record<string, unknown> = {}) => {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: writeKeyHeaders,
    payload: { userId, event, properties },
  });
  expect(response.statusCode, response.body).toBe(200);
};

const profileOf = async (userId: string) =>
  (
    await t.app.inject({
      method: 'GET',
      url: `/api/profiles/${encodeURIComponent(userId)}`,
      headers: adminHeaders,
    })
  ).json() as {
    traits: Record<string, unknown>;
    enrollments: Array<{
      journeyId: string;
      status: string;
      path: Array<{ nodeId: string; port: string | null; reason?: string | null }>;
    }>;
  };

/** Waits until the profile's enrollment in the journey has ended; returns it. */
const endedEnrollment = (userId: string, journeyId: string) =>
  eventually(async () => {
    const enrollment = (await profileOf(userId)).enrollments.find((e) => e.journeyId === journeyId);
    expect(enrollment?.status).toBe('completed');
    return enrollment as NonNullable<typeof enrollment>;
  });

beforeAll(async () => {
  hooks = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ url: req.url ?? '', body });
      const { type, body: out, status = 200 } = answer(req.url ?? '');
      res.writeHead(status, { 'content-type': type }).end(out);
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  const delivery = createDelivery({
    channels: createDefaultChannels({ webhookSigningSecret: 'whsec_test', webhookAllowPrivate: true }),
    links: () => ({ openPixelUrl: '', clickUrl: (href) => href, unsubscribeUrl: '' }),
  });
  t = await createTestApp({}, undefined, { worker: true, delivery });
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => hooks?.close(() => resolve()));
});

describe('send.webhook: Liquid in the URL and the answer saved for later steps', () => {
  it('renders Liquid in the URL with each printed value URL-encoded', async () => {
    const journey = await scoringJourney(
      'Lookup',
      'looked_up',
      `${base}/lookup/{{ profile.user_id }}?q={{ event.properties.q }}`,
    );
    await identify('a b/c');
    await track('a b/c', 'looked_up', { q: 'x&y=1' });
    await endedEnrollment('a b/c', journey);
    // Without saveResponseAs the enrollment does not wait for delivery, which may come after.
    await eventually(async () => {
      expect(received.map((r) => r.url)).toContain('/lookup/a%20b%2Fc?q=x%26y%3D1');
    });
  });

  it('waits for the answer, saves its JSON as journey.variables.<name>, and a condition reads it', async () => {
    const journey = await scoringJourney('Score', 'scored', `${base}/score`, 'scoring');
    await identify('gil');
    await track('gil', 'scored');
    const enrollment = await endedEnrollment('gil', journey);
    expect(enrollment.path.map((s) => [s.nodeId, s.port])).toEqual([
      ['start', 'out'],
      ['hook', 'out'],
      ['is_gold', 'yes'],
      ['tag', 'out'],
      ['done', null],
    ]);
    expect((await profileOf('gil')).traits.tags).toEqual(['gold']);
    expect(received.find((r) => r.url === '/score')?.body).toBe('{"user":"gil"}');
  });

  it('moves on without the variable when the answer is over 64 KiB or not JSON', async () => {
    const big = await scoringJourney('Big answer', 'big_scored', `${base}/big`, 'scoring');
    const text = await scoringJourney('Text answer', 'text_scored', `${base}/text`, 'scoring');
    await identify('hal');
    await track('hal', 'big_scored');
    await track('hal', 'text_scored');
    for (const journey of [big, text]) {
      const enrollment = await endedEnrollment('hal', journey);
      expect(enrollment.path.find((s) => s.nodeId === 'is_gold')?.port).toBe('no');
    }
    expect((await profileOf('hal')).traits.tags ?? []).toEqual([]);
  });

  it('moves on as soon as the delivery fails for good, without the variable', async () => {
    const journey = await scoringJourney('Gone', 'gone_scored', `${base}/gone`, 'scoring');
    await identify('jo');
    await track('jo', 'gone_scored');
    // Well before the 10-minute timeout: the failed delivery wakes the enrollment.
    const enrollment = await endedEnrollment('jo', journey);
    expect(enrollment.path.find((s) => s.nodeId === 'is_gold')?.port).toBe('no');
  });

  it('does not wait when the answer is not saved: the condition runs with the send', async () => {
    const journey = await scoringJourney('Fire and forget', 'fired', `${base}/score`);
    await identify('ivy');
    await track('ivy', 'fired');
    const enrollment = await endedEnrollment('ivy', journey);
    expect(enrollment.path.find((s) => s.nodeId === 'is_gold')?.port).toBe('no');
  });
});
