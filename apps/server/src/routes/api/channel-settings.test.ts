import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSettingsCipher } from '@touchline/channels';
import { createDelivery } from '@touchline/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishEmailJourney, publishJourney } from '../../../test/journeys.js';
import { startSmtpServer } from '../../../test/smtp-server.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';

const secret = 'channel-settings-test-secret-0123456789';
const token = 'sk_test_provider_token_9876';

/** What the fake provider was sent. */
interface ProviderRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}
const received: ProviderRequest[] = [];
/** Scripted answers per recipient (`to`): each request takes the next; then 200. */
const script = new Map<string, Array<{ status: number; body: string; headers?: Record<string, string> }>>();
let provider: Server;
let base: string;
let t: TestApp;
let sent = 0;
let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;

const sendJourney = (name: string, event: string, type: string, templateId: string) =>
  publishJourney(t, name, {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'trigger.event', config: { event }, position: { x: 0, y: 0 } },
      { id: 'send', type, config: { templateId }, position: { x: 0, y: 100 } },
      { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'send' },
      { id: 'e2', source: 'send', sourcePort: 'out', target: 'done' },
      { id: 'e3', source: 'send', sourcePort: 'suppressed', target: 'done' },
    ],
    settings: { reentry: 'always' },
  });

async function template(name: string, content: Record<string, unknown>): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/templates',
    headers: adminHeaders,
    payload: { name, ...content },
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}

async function person(
  userId: string,
  traits: Record<string, unknown>,
  context: Record<string, unknown> = {},
) {
  const identified = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: {
      userId,
      traits: { subscriptions: { sms: true, push: true, whatsapp: true }, ...traits },
      context,
    },
  });
  expect(identified.statusCode, identified.body).toBe(200);
}

const track = async (userId: string, event: string, properties: Record<string, unknown> = {}) => {
  const tracked = await t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: writeKeyHeaders,
    payload: { userId, event, messageId: `${event}-${userId}`, properties },
  });
  expect(tracked.statusCode, tracked.body).toBe(200);
};

const putChannel = (channel: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PUT', url: `/api/workspace/channels/${channel}`, headers: adminHeaders, payload });

/** The user's one message on a channel, as GET /api/messages answers it, once it is final. */
const finalMessage = (userId: string, channel: string) =>
  eventually(async () => {
    const listed = await t.app.inject({
      method: 'GET',
      url: `/api/messages?userId=${userId}&channel=${channel}`,
      headers: adminHeaders,
    });
    const message = listed.json().messages[0];
    expect(['sent', 'failed', 'delivered', 'opened'], JSON.stringify(message)).toContain(message?.status);
    return message as { id: string; status: string; error: string | null; content: Record<string, unknown> };
  });

const idempotencyKeyOf = async (messageId: string) =>
  (
    await sql<{ idempotency_key: string; provider_id: string | null }>`
      select idempotency_key, provider_id from messages where id = ${messageId}`.execute(t.database.db)
  ).rows[0];

beforeAll(async () => {
  provider = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const next = script.get(String(body.to))?.shift();
      if (next) {
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(next.body);
        return;
      }
      sent += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `PRV-${sent}` }));
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  // Settings are read again on every delivery (ttl 0): each test's PUT applies at once.
  const delivery = createDelivery({ secrets: [secret], settingsTtlMs: 0 });
  t = await createTestApp({ secrets: [secret] }, undefined, { worker: true, delivery });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await new Promise<void>((resolve) => provider?.close(() => resolve()));
});

describe('workspace channel settings', () => {
  it('stores credentials encrypted and answers them masked; a PUT that leaves one out keeps it', async () => {
    const put = await putChannel('sms', {
      adapter: 'http',
      url: `${base}/sms`,
      auth: { type: 'bearer', token },
      allowPrivate: true,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({
      channel: 'sms',
      source: 'workspace',
      adapter: 'http',
      settings: {
        url: `${base}/sms`,
        auth: { type: 'bearer', token: '••••9876' },
        idempotencyHeader: 'Idempotency-Key',
      },
      version: 1,
    });
    expect(put.body).not.toContain(token);

    const raw = (
      await sql<{ config: string; secrets: string; key_id: string }>`
        select config::text as config, secrets, key_id from channel_settings
         where workspace_id = ${t.workspaceId} and channel = 'sms'`.execute(t.database.db)
    ).rows[0];
    expect(raw?.config).not.toContain(token);
    expect(raw?.secrets).not.toContain(token);
    expect(raw?.secrets).toMatch(/^v1\.[0-9a-f]{12}\./);
    expect(raw?.key_id).toBe(createSettingsCipher([secret]).keyId);

    // Sent back as it was answered, with the masked token: the token stays.
    const again = await putChannel('sms', { ...put.json().settings, timeoutMs: 5000 });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({
      version: 2,
      settings: { auth: { token: '••••9876' }, timeoutMs: 5000 },
    });
    const stored = (
      await sql<{ secrets: string }>`select secrets from channel_settings
         where workspace_id = ${t.workspaceId} and channel = 'sms'`.execute(t.database.db)
    ).rows[0];
    expect(
      JSON.parse(createSettingsCipher([secret]).decrypt(stored?.secrets ?? '', `${t.workspaceId}/sms`)),
    ).toEqual({ 'auth.token': token });

    const listed = await t.app.inject({
      method: 'GET',
      url: '/api/workspace/channels',
      headers: adminHeaders,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(token);
    expect(listed.json().channels).toContainEqual(
      expect.objectContaining({ channel: 'email', source: 'environment', adapter: 'sandbox' }),
    );
  });

  it('answers 422 naming the field of settings that do not fit', async () => {
    const badUrl = await putChannel('sms', { adapter: 'http', url: 'not a url', auth: { type: 'none' } });
    expect(badUrl.statusCode).toBe(422);
    expect(badUrl.json().issues).toContainEqual(expect.objectContaining({ path: 'body.url' }));

    const wrongAdapter = await putChannel('email', { adapter: 'http', url: `${base}/x`, allowPrivate: true });
    expect(wrongAdapter.statusCode).toBe(422);
    expect(wrongAdapter.json().message).toBe('body.adapter: the email channel takes sandbox or smtp');

    const noPassword = await putChannel('push', {
      adapter: 'http',
      url: 'https://push.example/send',
      auth: { type: 'basic', username: 'app' },
    });
    expect(noPassword.statusCode).toBe(422);
    expect(noPassword.json().message).toBe('body.auth.password: is required (no stored value to keep)');

    const badTemplate = await putChannel('push', {
      adapter: 'http',
      url: 'https://push.example/send',
      body: { to: '{{ to | nosuch }}' },
    });
    expect(badTemplate.statusCode).toBe(422);
    expect(badTemplate.json().issues[0].path).toBe('body.body.to');

    const loopback = await putChannel('whatsapp', { adapter: 'http', url: `${base}/wa` });
    expect(loopback.statusCode).toBe(422);
    expect(loopback.json().message).toMatch(/^body\.url: 127\.0\.0\.1 is a loopback address .*allowPrivate/);
  });

  it('delivers a published journey’s SMS to the provider, rendered and keyed', async () => {
    const templateId = await template('Code SMS', {
      channel: 'sms',
      text: 'Hi {{ profile.first_name }}, your code is {{ event.properties.code }}',
    });
    await sendJourney('Code by SMS', 'code_requested', 'send.sms', templateId);
    await person('ada', { first_name: 'Ada', phone: '+15550001' });
    await track('ada', 'code_requested', { code: '4711' });

    const message = await finalMessage('ada', 'sms');
    expect(message.status, message.error ?? undefined).toBe('sent');
    const row = await idempotencyKeyOf(message.id);
    const hit = received.find((r) => r.body.to === '+15550001');
    expect(hit?.path).toBe('/sms');
    expect(hit?.body).toEqual({ to: '+15550001', text: 'Hi Ada, your code is 4711' });
    expect(hit?.headers['idempotency-key']).toBe(row?.idempotency_key);
    expect(hit?.headers.authorization).toBe(`Bearer ${token}`);
    expect(row?.provider_id).toMatch(/^PRV-\d+$/);
  });

  it('retries a 503 after its Retry-After and sends the message once', async () => {
    script.set('+15550002', [{ status: 503, body: '{"message":"busy"}', headers: { 'retry-after': '1' } }]);
    await person('bob', { first_name: 'Bob', phone: '+15550002' });
    await track('bob', 'code_requested', { code: '1234' });

    const message = await finalMessage('bob', 'sms');
    expect(message.status, message.error ?? undefined).toBe('sent');
    const hits = received.filter((r) => r.body.to === '+15550002');
    expect(hits).toHaveLength(2);
    expect(new Set(hits.map((h) => h.headers['idempotency-key'])).size).toBe(1);
    const attempts = (
      await sql<{
        delivery_attempts: number;
      }>`select delivery_attempts from messages where id = ${message.id}`.execute(t.database.db)
    ).rows[0];
    expect(attempts?.delivery_attempts).toBe(2);
  });

  it('fails a message the provider rejects with 400, with the provider’s words', async () => {
    script.set('+15550003', [
      { status: 400, body: '{"message":"The To number +15550003 is not a mobile number"}' },
    ]);
    await person('cyd', { first_name: 'Cyd', phone: '+15550003' });
    await track('cyd', 'code_requested', { code: '9999' });

    const message = await finalMessage('cyd', 'sms');
    expect(message.status).toBe('failed');
    expect(message.error).toBe(
      `sms provider POST ${base}/sms answered 400: The To number +15550003 is not a mobile number`,
    );
    expect(received.filter((r) => r.body.to === '+15550003')).toHaveLength(1);
  });

  it('delivers push to the most recent device token with the rendered title and body', async () => {
    const put = await putChannel('push', {
      adapter: 'http',
      url: `${base}/push`,
      auth: { type: 'header', name: 'X-Api-Key', value: 'push-key-000111' },
      allowPrivate: true,
    });
    expect(put.statusCode, put.body).toBe(200);
    const templateId = await template('Back in stock push', {
      channel: 'push',
      title: '{{ profile.first_name }}, it is back',
      body: '{{ event.properties.product }} is in stock',
      deepLink: 'shop://p/{{ event.properties.sku }}',
    });
    await sendJourney('Back in stock', 'back_in_stock', 'send.push', templateId);
    await person('dee', { first_name: 'Dee' }, { device: { token: 'device-token-dee' } });
    await track('dee', 'back_in_stock', { product: 'Red shoes', sku: 'RS1' });

    const message = await finalMessage('dee', 'push');
    expect(message.status, message.error ?? undefined).toBe('sent');
    const hit = received.find((r) => r.path === '/push');
    expect(hit?.body).toEqual({
      to: 'device-token-dee',
      title: 'Dee, it is back',
      body: 'Red shoes is in stock',
      deepLink: 'shop://p/RS1',
    });
    expect(hit?.headers['x-api-key']).toBe('push-key-000111');
  });

  it('refuses a provider that resolves to 127.0.0.1 unless the settings allow private addresses', async () => {
    const port = (provider.address() as AddressInfo).port;
    const put = await putChannel('whatsapp', {
      adapter: 'http',
      url: `http://localhost:${port}/wa`,
      auth: { type: 'bearer', token: 'wa-token-0123456789' },
    });
    expect(put.statusCode, put.body).toBe(200);
    const templateId = await template('Order ready', {
      channel: 'whatsapp',
      templateName: 'order_ready',
      language: 'en',
      parameters: ['{{ profile.first_name }}'],
    });
    await sendJourney('Order ready', 'order_ready', 'send.whatsapp', templateId);
    await person('eve', { first_name: 'Eve', phone: '+15550005' });
    await track('eve', 'order_ready');

    const message = await finalMessage('eve', 'whatsapp');
    expect(message.status).toBe('failed');
    expect(message.error).toMatch(
      /^whatsapp provider host localhost refused: (127\.0\.0\.1|::1) is .*allowPrivate/,
    );
    expect(received.filter((r) => r.path === '/wa')).toHaveLength(0);
  });

  it('delivers the workspace’s email by its own SMTP server', async () => {
    // Closed after the app: the worker's pooled connection to it stays open until then.
    smtp = await startSmtpServer();
    const put = await putChannel('email', {
      adapter: 'smtp',
      host: '127.0.0.1',
      port: smtp.port,
      from: 'Shop <news@shop.test>',
    });
    expect(put.statusCode, put.body).toBe(200);
    const templateId = await template('Welcome email', {
      channel: 'email',
      subject: 'Welcome, {{ profile.first_name }}',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hello</mj-text></mj-column></mj-section></mj-body></mjml>',
    });
    await publishEmailJourney(t, 'Welcome', templateId, {
      type: 'trigger.event',
      config: { event: 'signed_up' },
    });
    await person('fay', { first_name: 'Fay', email: 'fay@example.com', subscriptions: { email: true } });
    await track('fay', 'signed_up');
    const message = await finalMessage('fay', 'email');
    expect(message.status, message.error ?? undefined).toBe('sent');
    const mail = smtp?.received.find((m) => m.subject === 'Welcome, Fay');
    expect(mail?.from?.value[0]).toMatchObject({ name: 'Shop', address: 'news@shop.test' });
  });

  it('documents the settings schema in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const put = doc.paths['/api/workspace/channels/{channel}'].put;
    const variants =
      put.requestBody.content['application/json'].schema.oneOf ??
      put.requestBody.content['application/json'].schema.anyOf;
    expect(
      variants.map(
        (v: { properties: { adapter: { const?: string; enum?: string[] } } }) =>
          v.properties.adapter.const ?? v.properties.adapter.enum?.[0],
      ),
    ).toEqual(['sandbox', 'smtp', 'http', 'webhook', 'inapp']);
    expect(doc.paths['/v1/inapp'].get).toBeDefined();
  });

  it('goes back to the environment when the settings are deleted', async () => {
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: '/api/workspace/channels/whatsapp',
      headers: adminHeaders,
    });
    expect(deleted.statusCode).toBe(204);
    const got = await t.app.inject({
      method: 'GET',
      url: '/api/workspace/channels/whatsapp',
      headers: adminHeaders,
    });
    expect(got.json()).toMatchObject({ source: 'environment', adapter: 'sandbox', settings: null });
  });
});
