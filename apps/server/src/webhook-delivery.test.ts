import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDefaultChannels } from '@touchline/channels';
import { createDelivery } from '@touchline/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishJourney } from '../test/journeys.js';
import { createTestApp, type TestApp, writeKeyHeaders } from '../test/test-app.js';

const secret = 'whsec_e2e_0123456789abcdef';
const received: Array<{ url: string; headers: IncomingMessage['headers']; body: string }> = [];
let hooks: Server;
let base: string;
let t: TestApp;

const webhookJourney = (name: string, event: string, url: string) =>
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
          body: '{"user":"{{ profile.user_id }}","name":"{{ profile.first_name }}","plan":"{{ event.properties.plan }}"}',
        },
        position: { x: 0, y: 100 },
      },
      { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'hook' },
      { id: 'e2', source: 'hook', sourcePort: 'out', target: 'done' },
      { id: 'e3', source: 'hook', sourcePort: 'suppressed', target: 'done' },
    ],
    settings: { reentry: 'always' },
  });

const track = (userId: string, event: string) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: writeKeyHeaders,
    payload: { userId, event, messageId: `${event}-${userId}`, properties: { plan: 'pro' } },
  });

const messageOf = async (userId: string) =>
  (
    await sql<{ status: string; error: string | null; provider_id: string | null; idempotency_key: string }>`
      select m.status, m.error, m.provider_id, m.idempotency_key
        from messages m join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
       where p.user_id = ${userId} and m.channel = 'webhook'`.execute(t.database.db)
  ).rows[0];

beforeAll(async () => {
  hooks = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  const delivery = createDelivery({
    channels: createDefaultChannels({ webhookSigningSecret: secret, webhookAllowPrivate: true }),
    links: ({ messageId }) => ({
      openPixelUrl: `https://t.test/o/${messageId}`,
      clickUrl: (href) => href,
      unsubscribeUrl: `https://t.test/u/${messageId}`,
    }),
  });
  t = await createTestApp({}, undefined, { worker: true, delivery });
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => hooks?.close(() => resolve()));
});

describe('webhook delivery', () => {
  it('calls the endpoint with the rendered body, signed and keyed, and marks the message sent', async () => {
    await webhookJourney('Upgrade hook', 'upgraded', `${base}/hooks/upgrade`);
    const identified = await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: writeKeyHeaders,
      payload: { userId: 'ada', traits: { first_name: 'Ada' } },
    });
    expect(identified.statusCode).toBe(200);
    expect((await track('ada', 'upgraded')).statusCode).toBe(200);

    const message = await eventually(async () => {
      const row = await messageOf('ada');
      expect(row?.status, row?.error ?? undefined).toBe('sent');
      return row as NonNullable<typeof row>;
    });
    expect(message.provider_id).toBe('webhook:204');
    const hit = received.find((r) => r.url === '/hooks/upgrade');
    expect(hit && JSON.parse(hit.body)).toEqual({ user: 'ada', name: 'Ada', plan: 'pro' });
    expect(hit?.headers['content-type']).toBe('application/json');
    expect(hit?.headers['x-touchline-idempotency-key']).toBe(message.idempotency_key);
    const [, t0, v1] =
      /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hit?.headers['x-touchline-signature'])) ?? [];
    expect(v1).toBe(createHmac('sha256', secret).update(`${t0}.${hit?.body}`).digest('hex'));
  });

  it('fails a send to a private address when private addresses are not allowed', async () => {
    const strict = createDelivery({
      channels: createDefaultChannels({ webhookSigningSecret: secret }),
      links: () => ({ openPixelUrl: '', clickUrl: (href) => href, unsubscribeUrl: '' }),
    });
    const adapter = strict.channels.forChannel('webhook');
    expect(adapter?.name).toBe('webhook');
    await expect(
      adapter?.send({
        workspaceId: 'ws',
        messageId: 'm',
        idempotencyKey: 'k',
        channel: 'webhook',
        to: 'http://169.254.169.254/latest/meta-data',
        body: { url: 'http://169.254.169.254/latest/meta-data', method: 'GET' },
      }),
    ).rejects.toThrow(/169\.254\.169\.254 refused: .*link-local/);
  });
});
