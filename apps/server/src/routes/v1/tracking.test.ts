import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Analytics } from '@segment/analytics-node';
import { IngestPipeline } from '@touchline/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminHeaders,
  createTestApp,
  credentials,
  type TestApp,
  writeKeyHeaders,
} from '../../../test/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** The app on a real socket (listening once for every test that needs one). */
async function baseUrl(): Promise<string> {
  if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: { ...writeKeyHeaders, ...headers },
  });

async function profileOf(userId: string) {
  return t.database.db
    .selectFrom('profile_identities as i')
    .innerJoin('profiles as p', (j) =>
      j.onRef('p.id', '=', 'i.profile_id').onRef('p.workspace_id', '=', 'i.workspace_id'),
    )
    .selectAll('p')
    .where('i.value', '=', userId)
    .where('i.workspace_id', '=', t.workspaceId)
    .executeTakeFirst();
}

async function eventsOf(profileId: string) {
  return t.database.db
    .selectFrom('events')
    .selectAll()
    .where('workspace_id', '=', t.workspaceId)
    .where('profile_id', '=', profileId)
    .orderBy('timestamp')
    .orderBy('id')
    .execute();
}

describe('POST /v1/track', () => {
  it('stores the event on a profile created on first sight, and answers after the commit', async () => {
    const response = await post('/v1/track', {
      userId: 'u-track-1',
      event: 'cart_updated',
      properties: { cart_id: 'c1', items: [{ sku: 'A', qty: 2 }] },
      messageId: 'm-track-1',
      timestamp: '2026-11-01T10:00:00.000Z',
      context: { locale: 'fr-FR', timezone: 'Europe/Paris' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, duplicate: false });
    const profile = await profileOf('u-track-1');
    expect(profile).toMatchObject({ user_id: 'u-track-1', locale: 'fr-FR', timezone: 'Europe/Paris' });
    const events = await eventsOf(profile?.id as string);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'track',
      event: 'cart_updated',
      message_id: 'm-track-1',
      properties: { cart_id: 'c1', items: [{ sku: 'A', qty: 2 }] },
    });
    expect(events[0]?.timestamp.toISOString()).toBe('2026-11-01T10:00:00.000Z');
  });

  it('accepts a repeated messageId and stores it once', async () => {
    const body = {
      userId: 'u-dup',
      event: 'order_completed',
      properties: { revenue: 30 },
      messageId: 'm-dup',
    };
    expect((await post('/v1/track', body)).json()).toEqual({ success: true, duplicate: false });
    expect((await post('/v1/track', body)).json()).toEqual({ success: true, duplicate: true });
    const profile = await profileOf('u-dup');
    expect(await eventsOf(profile?.id as string)).toHaveLength(1);
    // The repeat did not count the order twice.
    expect(profile?.orders_count).toBe(1);
    expect(Number(profile?.lifetime_value)).toBe(30);
  });

  it('names the missing field when a call is invalid', async () => {
    const noUser = await post('/v1/track', { event: 'x' });
    expect(noUser.statusCode).toBe(400);
    expect(noUser.json().message).toBe('body.userId: userId or anonymousId is required');
    const noEvent = await post('/v1/track', { userId: 'u' });
    expect(noEvent.statusCode).toBe(400);
    expect(noEvent.json().message).toMatch(/body\.event: is required/);
    const badTime = await post('/v1/track', { userId: 'u', event: 'x', timestamp: 'yesterday' });
    expect(badTime.json().message).toBe('body.timestamp: must be an ISO-8601 timestamp');
  });

  it('refuses the admin token with a 401 that says which key belongs here', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      payload: { userId: 'u', event: 'x' },
      headers: { authorization: `Basic ${Buffer.from('nope:').toString('base64')}` },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('POST /v1/batch', () => {
  it('stores the valid messages of a batch and reports the invalid ones by index', async () => {
    const response = await post('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'u-batch', traits: { email: 'b@example.com' }, messageId: 'mb-1' },
        { type: 'track', userId: 'u-batch', messageId: 'mb-2' },
        { type: 'track', userId: 'u-batch', event: 'viewed', messageId: 'mb-3' },
        { type: 'launch', userId: 'u-batch', messageId: 'mb-4' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ success: true, accepted: 2, duplicates: 0 });
    expect(body.rejected).toEqual([
      { index: 1, messageId: 'mb-2', type: 'track', issues: [{ path: 'event', message: 'is required' }] },
      {
        index: 3,
        messageId: 'mb-4',
        type: 'launch',
        issues: [{ path: 'type', message: 'must be one of track, identify, page, screen, group, alias' }],
      },
    ]);
    const profile = await profileOf('u-batch');
    expect(profile?.email).toBe('b@example.com');
    expect(await eventsOf(profile?.id as string)).toHaveLength(2);
    const log = await t.database.db
      .selectFrom('ingest_rejections')
      .selectAll()
      .where('workspace_id', '=', t.workspaceId)
      .where('message_id', 'in', ['mb-2', 'mb-4'])
      .orderBy('message_id')
      .execute();
    expect(log.map((r) => r.reason)).toEqual([
      'event: is required',
      'type: must be one of track, identify, page, screen, group, alias',
    ]);
  });

  it('takes a gzip body, and refuses bad gzip and oversized bodies with the limit named', async () => {
    const batch = { batch: [{ type: 'track', userId: 'u-gzip', event: 'zipped', messageId: 'mz-1' }] };
    const zipped = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      payload: gzipSync(JSON.stringify(batch)),
      headers: { ...writeKeyHeaders, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.json().accepted).toBe(1);

    const broken = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      payload: Buffer.from('this is not gzip'),
      headers: { ...writeKeyHeaders, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/^body: not valid gzip data/);

    // 5 MB of JSON compresses to a few KB: the limit applies after decompression.
    const bomb = gzipSync(JSON.stringify({ batch: [], padding: 'x'.repeat(5 * 1024 * 1024) }));
    const tooLarge = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      payload: bomb,
      headers: { ...writeKeyHeaders, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().message).toBe(
      'body: larger than the limit of 4194304 bytes for this endpoint (after decompression)',
    );
  });

  it('answers 429 with Retry-After while ingestion is behind, so SDKs keep their events and retry', async () => {
    const original = t.services.ingest;
    t.services.ingest = new IngestPipeline({ pool: t.database.pool, maxInFlight: 1, maxQueuedEvents: 150 });
    const batch = (prefix: string) => ({
      batch: Array.from({ length: 100 }, (_, i) => ({
        type: 'track',
        userId: 'u-busy',
        event: 'e',
        messageId: `${prefix}-${i}`,
      })),
    });
    const blocker = await t.database.pool.connect();
    await blocker.query('begin');
    await blocker.query('lock table events in access exclusive mode');
    try {
      const first = post('/v1/batch', batch('busy-1'));
      const second = post('/v1/batch', batch('busy-2'));
      // Let both reach the pipeline: the first is being written, the second waits for it.
      while ((t.services.ingest.stats.groups as number) < 1)
        await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const refused = await post('/v1/batch', batch('busy-3'));
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json().message).toMatch(/^ingestion is behind: 100 events are waiting to be written/);
      await blocker.query('commit');
      expect((await first).statusCode).toBe(200);
      expect((await second).statusCode).toBe(200);
      expect((await post('/v1/batch', batch('busy-3'))).json()).toMatchObject({ accepted: 100 });
    } finally {
      await blocker.query('rollback').catch(() => {});
      blocker.release();
      await t.services.ingest.close();
      t.services.ingest = original;
    }
  });

  it('refuses a batch longer than the limit, naming it', async () => {
    const batch = Array.from({ length: 2501 }, (_, i) => ({
      type: 'track',
      userId: 'u',
      event: 'e',
      messageId: `ml-${i}`,
    }));
    const response = await post('/v1/batch', { batch });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('body.batch: at most 2500 messages per batch');
  });

  it('applies batch-level context to each message', async () => {
    await post('/v1/batch', {
      context: { timezone: 'America/New_York' },
      batch: [{ type: 'track', userId: 'u-ctx', event: 'opened_app', messageId: 'mc-1' }],
    });
    expect((await profileOf('u-ctx'))?.timezone).toBe('America/New_York');
  });
});

describe('profiles', () => {
  it('merges an anonymous visitor into the user they identify as: one person, all their events', async () => {
    await post('/v1/page', {
      anonymousId: 'anon-1',
      name: 'Pricing',
      messageId: 'mp-1',
      timestamp: '2026-10-01T00:00:00Z',
    });
    await post('/v1/track', {
      userId: 'u-merge',
      event: 'signed_in',
      messageId: 'mp-2',
      timestamp: '2026-10-02T00:00:00Z',
    });
    await post('/v1/identify', {
      userId: 'u-merge',
      anonymousId: 'anon-1',
      traits: { name: 'Ada' },
      messageId: 'mp-3',
      timestamp: '2026-10-03T00:00:00Z',
    });
    const viaAnonymous = await profileOf('anon-1');
    const viaUser = await profileOf('u-merge');
    expect(viaAnonymous?.id).toBe(viaUser?.id);
    expect(viaUser?.traits).toEqual({ name: 'Ada' });
    expect(viaUser?.first_seen_at.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    const events = await eventsOf(viaUser?.id as string);
    expect(events.map((e) => e.message_id)).toEqual(['mp-1', 'mp-2', 'mp-3']);
    const tombstones = await t.database.db
      .selectFrom('profiles')
      .select(['id', 'merged_into'])
      .where('workspace_id', '=', t.workspaceId)
      .where('merged_into', '=', viaUser?.id as string)
      .execute();
    expect(tombstones).toHaveLength(1);
  });

  it('alias folds the previous id into the user: traits fill gaps, order totals add up', async () => {
    await post('/v1/identify', { userId: 'old-id', traits: { plan: 'pro', name: 'Old' }, messageId: 'ma-1' });
    await post('/v1/track', {
      userId: 'old-id',
      event: 'order_completed',
      properties: { revenue: '12.50' },
      messageId: 'ma-2',
    });
    await post('/v1/identify', { userId: 'new-id', traits: { name: 'New' }, messageId: 'ma-3' });
    await post('/v1/track', {
      userId: 'new-id',
      event: 'order_completed',
      properties: { revenue: 7.25 },
      messageId: 'ma-4',
    });
    const alias = await post('/v1/alias', { previousId: 'old-id', userId: 'new-id', messageId: 'ma-5' });
    expect(alias.statusCode).toBe(200);
    const merged = await profileOf('new-id');
    expect((await profileOf('old-id'))?.id).toBe(merged?.id);
    expect(merged).toMatchObject({
      user_id: 'new-id',
      traits: { plan: 'pro', name: 'New' },
      orders_count: 2,
    });
    expect(Number(merged?.lifetime_value)).toBe(19.75);
  });

  it('merges consent per channel and keeps email and phone as addresses', async () => {
    await post('/v1/identify', {
      userId: 'u-consent',
      traits: {
        email: 'c@example.com',
        phone: '+1 (555) 010-9999',
        subscriptions: { email: true, sms: true },
      },
    });
    await post('/v1/identify', { userId: 'u-consent', traits: { subscriptions: { sms: false } } });
    const profile = await profileOf('u-consent');
    expect(profile?.traits).toMatchObject({ subscriptions: { email: true, sms: false } });
    expect(profile).toMatchObject({ email: 'c@example.com', phone: '+15550109999' });
  });

  it('keeps device push tokens, newest first and each once, and the device timezone only where none is set', async () => {
    const device = (token: string) => ({ device: { token }, timezone: 'Europe/Berlin' });
    await post('/v1/identify', { userId: 'u-push', traits: { timezone: 'America/Chicago' } });
    await post('/v1/track', { userId: 'u-push', event: 'app_opened', context: device('tok-1') });
    await post('/v1/track', { userId: 'u-push', event: 'app_opened', context: device('tok-2') });
    await post('/v1/track', { userId: 'u-push', event: 'app_opened', context: device('tok-1') });
    const profile = await profileOf('u-push');
    expect(profile?.push_tokens).toEqual(['tok-2', 'tok-1']);
    expect(profile?.timezone).toBe('America/Chicago');
  });

  it('counts orders under the workspace order event and revenue property', async () => {
    const patch = (settings: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: '/api/workspace', headers: adminHeaders, payload: { settings } });
    // A change made through the API applies to the next call at once.
    expect((await patch({ orderEvent: 'Order Completed', revenueProperty: 'total' })).statusCode).toBe(200);
    await post('/v1/track', {
      userId: 'u-orders',
      event: 'Order Completed',
      properties: { total: 40 },
      timestamp: '2026-11-05T12:00:00Z',
    });
    await post('/v1/track', { userId: 'u-orders', event: 'order_completed', properties: { revenue: 99 } });
    const profile = await profileOf('u-orders');
    expect(profile?.orders_count).toBe(1);
    expect(Number(profile?.lifetime_value)).toBe(40);
    expect(profile?.last_order_at?.toISOString()).toBe('2026-11-05T12:00:00.000Z');
    const reset = await patch({ orderEvent: null, revenueProperty: null });
    expect(reset.json()).toMatchObject({
      settings: { orderEvent: 'order_completed', revenueProperty: 'revenue' },
    });
  });
});

describe('the official Segment client', () => {
  it('@segment/analytics-node delivers identify, track and a repeated messageId to Touchline unchanged', async () => {
    const url = await baseUrl();
    const analytics = new Analytics({
      writeKey: 'tl_write_test_key_0123456789',
      host: url,
      flushAt: 3,
      maxRetries: 0,
    });
    const errors: unknown[] = [];
    analytics.on('error', (error) => errors.push(error));
    analytics.identify({ userId: 'u-sdk', traits: { email: 'sdk@example.com', name: 'Grace' } });
    analytics.track({
      userId: 'u-sdk',
      event: 'cart_updated',
      properties: { cart_id: 'k' },
      messageId: 'sdk-1',
    });
    analytics.track({
      userId: 'u-sdk',
      event: 'cart_updated',
      properties: { cart_id: 'k' },
      messageId: 'sdk-1',
    });
    analytics.track({ anonymousId: 'sdk-anon', event: 'page_viewed' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    const profile = await profileOf('u-sdk');
    expect(profile).toMatchObject({ email: 'sdk@example.com', traits: { name: 'Grace' } });
    const events = await eventsOf(profile?.id as string);
    expect(events.map((e) => [e.type, e.event])).toEqual([
      ['identify', null],
      ['track', 'cart_updated'],
    ]);
    expect(events[1]?.context).toMatchObject({ library: { name: '@segment/analytics-node' } });
    expect(await profileOf('sdk-anon')).toBeDefined();
  });

  it('plain curl delivers identify, track and batch, and the profile API shows one merged person', async () => {
    const url = await baseUrl();
    const curl = async (path: string, body: unknown) => {
      const { stdout } = await promisify(execFile)('curl', [
        '-sS',
        '-u',
        `${credentials.writeKey}:`,
        '-H',
        'content-type: application/json',
        '-w',
        '\n%{http_code}',
        '-d',
        JSON.stringify(body),
        `${url}${path}`,
      ]);
      const [json, status] = stdout.split('\n');
      return { status: Number(status), body: JSON.parse(json as string) };
    };
    expect(
      await curl('/v1/track', { anonymousId: 'curl-device', event: 'product_viewed', messageId: 'curl-1' }),
    ).toEqual({
      status: 200,
      body: { success: true, duplicate: false },
    });
    expect(
      (await curl('/v1/track', { anonymousId: 'curl-device', event: 'product_viewed', messageId: 'curl-1' }))
        .body,
    ).toEqual({
      success: true,
      duplicate: true,
    });
    expect(
      (
        await curl('/v1/identify', {
          userId: 'curl-user',
          anonymousId: 'curl-device',
          traits: { name: 'Curl' },
        })
      ).status,
    ).toBe(200);
    const batch = await curl('/v1/batch', {
      batch: [
        {
          type: 'track',
          userId: 'curl-user',
          event: 'order_completed',
          properties: { revenue: 20 },
          messageId: 'curl-2',
        },
        {
          type: 'track',
          userId: 'curl-user',
          event: 'order_completed',
          properties: { revenue: 20 },
          messageId: 'curl-2',
        },
      ],
    });
    expect(batch.body).toEqual({ success: true, accepted: 1, duplicates: 1, rejected: [] });

    const byDevice = await fetch(`${url}/api/profiles/curl-device`, { headers: adminHeaders });
    const byUser = await fetch(`${url}/api/profiles/curl-user`, { headers: adminHeaders });
    const person = (await byUser.json()) as {
      id: string;
      userId: string;
      anonymousIds: string[];
      traits: unknown;
      computed: { orders_count: number };
      recentEvents: unknown[];
    };
    expect(((await byDevice.json()) as { id: string }).id).toBe(person.id);
    expect(person).toMatchObject({
      userId: 'curl-user',
      anonymousIds: ['curl-device'],
      traits: { name: 'Curl' },
      computed: { orders_count: 1 },
    });
    expect(person.recentEvents).toHaveLength(3);
  });
});
