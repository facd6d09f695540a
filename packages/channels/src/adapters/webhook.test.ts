import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../adapter.js';
import { PermanentDeliveryError, RetryableDeliveryError } from '../errors.js';
import { createLiquidEngines } from '../liquid.js';
import { classifyAddress } from './host-check.js';
import { pinnedFetch } from './pinned-fetch.js';
import { createWebhookAdapter, renderWebhookRequest, type WebhookRequest } from './webhook.js';

describe('classifyAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '64:ff9b::10.0.0.1',
    '[::1]',
  ])('refuses %s', (address) => {
    expect(classifyAddress(address)).not.toBeNull();
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '100.63.255.255',
    '169.255.0.1',
    '93.184.216.34',
    '2606:4700:4700::1111',
    '2001:db8::1',
    '::ffff:8.8.8.8',
  ])('allows %s', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });

  it('names the reason, and refuses what is not an address', () => {
    expect(classifyAddress('169.254.169.254')).toMatch(/link-local/);
    expect(classifyAddress('10.0.0.1')).toMatch(/private/);
    expect(classifyAddress('example.com')).toBe('not an IP address');
  });
});

describe('renderWebhookRequest', () => {
  const engines = createLiquidEngines();
  const scope = { profile: { first_name: 'Ada', user_id: 'u1' }, event: { event: 'order' }, journey: {} };

  it('renders a string body, as JSON when it parses', () => {
    const json = renderWebhookRequest(
      { url: 'https://x.test/h', method: 'POST', body: '{"name":"{{ profile.first_name }}"}' },
      scope,
      engines,
    );
    expect(json).toEqual({
      url: 'https://x.test/h',
      method: 'POST',
      body: '{"name":"Ada"}',
      contentType: 'application/json',
    });
    const text = renderWebhookRequest(
      { url: 'https://x.test/h', body: 'hi {{ profile.first_name }}' },
      scope,
      engines,
    );
    expect(text).toMatchObject({ method: 'POST', body: 'hi Ada', contentType: 'text/plain; charset=utf-8' });
  });

  it('renders the string values of an object body', () => {
    const request = renderWebhookRequest(
      {
        url: 'https://x.test/h',
        method: 'PUT',
        body: { user: '{{ profile.user_id }}', n: 2, tags: ['{{ event.event }}'] },
      },
      scope,
      engines,
    );
    expect(JSON.parse(request.body as string)).toEqual({ user: 'u1', n: 2, tags: ['order'] });
    expect(request.contentType).toBe('application/json');
  });

  it('renders Liquid in the URL, URL-encoding what it prints unless raw', () => {
    const request = renderWebhookRequest(
      {
        url: 'https://x.test/u/{{ profile.name }}?q={{ profile.q }}&next={{ profile.next | raw }}&none={{ profile.missing }}',
        method: 'GET',
      },
      { ...scope, profile: { name: 'a b/../c', q: 'x&admin=1#', next: '/ok' } },
      engines,
    );
    expect(request.url).toBe('https://x.test/u/a%20b%2F..%2Fc?q=x%26admin%3D1%23&next=/ok&none=');
  });

  it('asks the adapter for the answer only when the node saves it', () => {
    const node = { url: 'https://x.test/h', method: 'POST' };
    expect(renderWebhookRequest(node, scope, engines).captureResponse).toBeUndefined();
    expect(renderWebhookRequest({ ...node, saveResponseAs: 'crm' }, scope, engines).captureResponse).toBe(
      true,
    );
  });
});

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('webhook adapter against a local HTTP server', () => {
  const secret = 'whsec_test_0123456789abcdef';
  const received: Received[] = [];
  let status = 200;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url === '/redirect') {
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const message = (request: WebhookRequest): OutboundMessage => ({
    workspaceId: 'ws',
    messageId: 'm1',
    idempotencyKey: 'msg_key_1',
    channel: 'webhook',
    to: request.url,
    body: request as unknown as Record<string, unknown>,
  });

  it('sends the request, keyed and signed so that the receiver can verify it', async () => {
    status = 200;
    received.length = 0;
    const adapter = createWebhookAdapter({ signingSecret: secret, allowPrivate: true });
    const body = '{"name":"Ada"}';
    const result = await adapter.send(
      message({ url: `${base}/hook?x=1`, method: 'POST', body, contentType: 'application/json' }),
    );
    expect(result).toEqual({ providerId: 'webhook:200' });
    const [hit] = received;
    expect(hit).toMatchObject({ method: 'POST', url: '/hook?x=1', body });
    expect(hit?.headers['content-type']).toBe('application/json');
    expect(hit?.headers['user-agent']).toBe('Touchline');
    expect(hit?.headers['x-touchline-idempotency-key']).toBe('msg_key_1');

    // What a receiver does: recompute the HMAC over "<t>.<raw body>" and compare in constant time.
    const header = String(hit?.headers['x-touchline-signature']);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(match).not.toBeNull();
    const [, t, v1] = match as RegExpExecArray;
    expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
    const expected = createHmac('sha256', secret).update(`${t}.${hit?.body}`).digest();
    expect(timingSafeEqual(expected, Buffer.from(v1 as string, 'hex'))).toBe(true);
    const forged = createHmac('sha256', 'another secret').update(`${t}.${hit?.body}`).digest();
    expect(timingSafeEqual(forged, Buffer.from(v1 as string, 'hex'))).toBe(false);
  });

  it('refuses 127.0.0.1 by default, before any request', async () => {
    received.length = 0;
    const adapter = createWebhookAdapter({ signingSecret: secret });
    const sending = adapter.send(message({ url: `${base}/hook`, method: 'POST', body: '{}' }));
    await expect(sending).rejects.toBeInstanceOf(PermanentDeliveryError);
    await expect(sending).rejects.toThrow(
      /webhook host 127\.0\.0\.1 refused: 127\.0\.0\.1 is a loopback address/,
    );
    expect(received).toHaveLength(0);
  });

  it('refuses a host that resolves to a private address, and allows a listed host', async () => {
    received.length = 0;
    const resolve = async () => ['93.184.216.34', '127.0.0.1'];
    const refusing = createWebhookAdapter({ signingSecret: secret, resolve });
    await expect(
      refusing.send(message({ url: 'http://hooks.internal.test/x', method: 'POST' })),
    ).rejects.toThrow(/hooks\.internal\.test refused: 127\.0\.0\.1/);
    const listed = createWebhookAdapter({ signingSecret: secret, allowHosts: ['127.0.0.1'] });
    await expect(listed.send(message({ url: `${base}/ok`, method: 'GET' }))).resolves.toEqual({
      providerId: 'webhook:200',
    });
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['content-type']).toBeUndefined();
  });

  it('refuses a public-looking name that its resolver answers with a private address', async () => {
    received.length = 0;
    const adapter = createWebhookAdapter({ signingSecret: secret, resolve: async () => ['10.0.0.5'] });
    await expect(
      adapter.send(message({ url: 'https://api.example.com/hook', method: 'POST', body: '{}' })),
    ).rejects.toThrow(/api\.example\.com refused: 10\.0\.0\.5 is a private address/);
    expect(received).toHaveLength(0);
  });

  it('connects to the address it checked, not to what the name resolves to later (DNS rebinding)', async () => {
    received.length = 0;
    // Checked: a public address. Connecting by name would find 127.0.0.1 (this server) for
    // `localhost`: the rebinding attack. The connection goes to the checked address instead.
    let lookups = 0;
    const adapter = createWebhookAdapter({
      signingSecret: secret,
      timeoutMs: 300,
      resolve: async () => {
        lookups++;
        return ['198.51.100.7'];
      },
    });
    const port = new URL(base).port;
    await expect(
      adapter.send(message({ url: `http://localhost:${port}/hook`, method: 'POST', body: '{}' })),
    ).rejects.toBeInstanceOf(RetryableDeliveryError);
    expect(lookups).toBe(1);
    expect(received).toHaveLength(0);
  });

  it('pins a request to the given addresses: a name no DNS knows reaches the server', async () => {
    received.length = 0;
    const port = new URL(base).port;
    const response = await pinnedFetch(
      new URL(`http://pinned.invalid:${port}/pinned`),
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' },
      ['127.0.0.1'],
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(received[0]).toMatchObject({ url: '/pinned', body: 'hi' });
    expect(received[0]?.headers.host).toBe(`pinned.invalid:${port}`);
  });

  it('refuses other schemes', async () => {
    const adapter = createWebhookAdapter({ signingSecret: secret, allowPrivate: true });
    await expect(adapter.send(message({ url: 'file:///etc/passwd', method: 'GET' }))).rejects.toThrow(
      /must be http\(s\)/,
    );
  });

  it('sorts answers into retryable and permanent failures, and follows no redirect', async () => {
    const adapter = createWebhookAdapter({ signingSecret: secret, allowPrivate: true });
    const send = () => adapter.send(message({ url: `${base}/hook`, method: 'POST', body: 'x' }));
    for (const code of [408, 429, 500, 503]) {
      status = code;
      await expect(send()).rejects.toBeInstanceOf(RetryableDeliveryError);
    }
    for (const code of [400, 401, 404, 410]) {
      status = code;
      await expect(send()).rejects.toBeInstanceOf(PermanentDeliveryError);
    }
    status = 200;
    received.length = 0;
    await expect(
      adapter.send(message({ url: `${base}/redirect`, method: 'POST', body: 'x' })),
    ).rejects.toThrow(/answered 302 \(a redirect/);
    expect(received).toHaveLength(1);
  });

  it('treats a refused connection and a timeout as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const adapter = createWebhookAdapter({ signingSecret: secret, allowPrivate: true });
    await expect(
      adapter.send(message({ url: `http://127.0.0.1:${port}/`, method: 'POST' })),
    ).rejects.toBeInstanceOf(RetryableDeliveryError);

    const slow = createServer((_req, res) => {
      setTimeout(() => res.end('late'), 2_000).unref();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
    const quick = createWebhookAdapter({ signingSecret: secret, allowPrivate: true, timeoutMs: 100 });
    await expect(quick.send(message({ url: slowUrl, method: 'POST' }))).rejects.toBeInstanceOf(
      RetryableDeliveryError,
    );
    slow.closeAllConnections();
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });
});
