import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../adapter.js';
import { PermanentDeliveryError, RetryableDeliveryError, TemplateError } from '../errors.js';
import { createLiquidEngines } from '../liquid.js';
import { mapResponse } from './http-provider.js';
import { bodyScope, compileBodyTemplate, parseRetryAfter, providerMessage } from './http-provider-mapping.js';
import { createPushAdapter, defaultPushBody } from './push.js';
import { createSmsAdapter } from './sms.js';
import { createWhatsappAdapter, defaultWhatsappBody } from './whatsapp.js';

const engines = createLiquidEngines();
const message = (channel: OutboundMessage['channel'], body: Record<string, unknown>): OutboundMessage => ({
  workspaceId: 'ws',
  messageId: 'msg-1',
  idempotencyKey: 'key-1',
  channel,
  to: '+4915112345678',
  body,
});

describe('body mapping', () => {
  it('places the rendered fields where the provider wants them, keeping JSON types', () => {
    const render = compileBodyTemplate(defaultWhatsappBody, engines);
    const scope = bodyScope(
      message('whatsapp', { templateName: 'order_ready', language: 'de', parameters: ['Ada', '#42'] }),
    );
    expect(render(scope)).toEqual({
      to: '+4915112345678',
      template: { name: 'order_ready', language: 'de', parameters: ['Ada', '#42'] },
    });
  });

  it('leaves out fields the message does not have', () => {
    const render = compileBodyTemplate(defaultPushBody, engines);
    expect(render(bodyScope(message('push', { title: 'Hi', body: 'Back in stock' })))).toEqual({
      to: '+4915112345678',
      title: 'Hi',
      body: 'Back in stock',
    });
  });

  it('renders Liquid around values and keeps constants', () => {
    const render = compileBodyTemplate(
      { From: 'Shop', Body: '{{ text | upcase }} ({{ messageId }})', flash: false, tags: ['promo'] },
      engines,
    );
    expect(render(bodyScope(message('sms', { text: 'sale' })))).toEqual({
      From: 'Shop',
      Body: 'SALE (msg-1)',
      flash: false,
      tags: ['promo'],
    });
  });

  it('names the field of a body template that does not parse', () => {
    expect(() => compileBodyTemplate({ message: { text: '{{ text | nosuchfilter }}' } }, engines)).toThrow(
      TemplateError,
    );
    expect(() => compileBodyTemplate({ message: { text: '{% if %}' } }, engines)).toThrow(
      /body\.message\.text/,
    );
  });
});

describe('response mapping', () => {
  const context = {
    where: 'sms provider POST https://p.example/sms',
    providerIdPath: 'id',
    fallbackId: 'sms:k',
  };

  it('takes the provider id from the configured path', () => {
    expect(mapResponse(201, new Headers(), '{"id":"SM123"}', context)).toEqual({ providerId: 'SM123' });
    expect(
      mapResponse(200, new Headers(), '{"messages":[{"id":"wamid.1"}]}', {
        ...context,
        providerIdPath: 'messages.0.id',
      }),
    ).toEqual({ providerId: 'wamid.1' });
    expect(mapResponse(202, new Headers(), '', context)).toEqual({ providerId: 'sms:k' });
  });

  it('retries 429 and 5xx, after the Retry-After the provider asks for', () => {
    const error = (() => {
      try {
        mapResponse(429, new Headers({ 'retry-after': '7' }), '{"message":"slow down"}', context);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RetryableDeliveryError);
    expect((error as RetryableDeliveryError).retryAfterMs).toBe(7000);
    expect((error as Error).message).toBe('sms provider POST https://p.example/sms answered 429: slow down');
    expect(() => mapResponse(503, new Headers(), 'busy', context)).toThrow(RetryableDeliveryError);
  });

  it('fails other 4xx for good with the provider message', () => {
    expect(() =>
      mapResponse(400, new Headers(), '{"error":{"message":"The number +1 is invalid"}}', context),
    ).toThrow(
      new PermanentDeliveryError(
        'sms provider POST https://p.example/sms answered 400: The number +1 is invalid',
      ),
    );
    expect(() => mapResponse(302, new Headers(), '', context)).toThrow(/redirects are not followed/);
  });

  it('reads Retry-After as seconds or a date, capped at an hour', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('86400', now)).toBe(3_600_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('finds the provider message in the usual places', () => {
    expect(providerMessage('{"errors":[{"message":"bad token"}]}')).toBe('bad token');
    expect(providerMessage('{"detail":"unknown sender"}')).toBe('unknown sender');
    expect(providerMessage('plain words\n')).toBe('plain words');
  });
});

describe('http provider adapters', () => {
  const requests: Array<{ url: string; headers: IncomingMessage['headers']; body: unknown }> = [];
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => {
        text += chunk;
      });
      req.on('end', () => {
        requests.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(text) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"sid":"P-1"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends with the auth, the idempotency key and the mapped body', async () => {
    const sms = createSmsAdapter({
      url: `${base}/sms`,
      auth: { type: 'basic', username: 'AC1', password: 'pw' },
      idempotencyHeader: 'X-Dedupe',
      providerIdPath: 'sid',
      allowPrivate: true,
    });
    expect(await sms.send(message('sms', { text: 'Hi Ada' }))).toEqual({ providerId: 'P-1' });
    const hit = requests.at(-1);
    expect(hit?.body).toEqual({ to: '+4915112345678', text: 'Hi Ada' });
    expect(hit?.headers['x-dedupe']).toBe('key-1');
    expect(hit?.headers.authorization).toBe(`Basic ${Buffer.from('AC1:pw').toString('base64')}`);
  });

  it('sends a header credential', async () => {
    const push = createPushAdapter({
      url: `${base}/push`,
      auth: { type: 'header', name: 'X-Api-Key', value: 'k-123' },
      allowPrivate: true,
    });
    await push.send(message('push', { title: 'T', body: 'B' }));
    expect(requests.at(-1)?.headers['x-api-key']).toBe('k-123');
  });

  it('refuses a provider on a loopback address without allowPrivate', async () => {
    const whatsapp = createWhatsappAdapter({ url: `${base}/wa`, auth: { type: 'bearer', token: 't' } });
    const before = requests.length;
    await expect(whatsapp.send(message('whatsapp', { templateName: 'x' }))).rejects.toThrow(
      /whatsapp provider host 127\.0\.0\.1 refused: 127\.0\.0\.1 is a loopback address/,
    );
    expect(requests.length).toBe(before);
  });

  it('is idempotent (resent after a crash) only when the provider deduplicates by key', () => {
    expect(createSmsAdapter({ url: `${base}/sms` }).idempotent).toBe(false);
    expect(createSmsAdapter({ url: `${base}/sms`, idempotent: true }).idempotent).toBe(true);
  });

  it('fails a message with no address without calling the provider', async () => {
    const sms = createSmsAdapter({ url: `${base}/sms`, allowPrivate: true });
    await expect(sms.send({ ...message('sms', { text: 'x' }), to: null })).rejects.toThrow(
      PermanentDeliveryError,
    );
  });
});
