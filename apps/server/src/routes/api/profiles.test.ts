import { createWorkspace } from '@touchline/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, type TestApp } from '../../../test/test-app.js';

interface SummaryBody {
  id: string;
  userId: string | null;
  email: string | null;
  phone: string | null;
  lastSeenAt: string;
  ordersCount: number;
  lifetimeValue: number;
}

describe('profiles API', () => {
  let t: TestApp;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: adminHeaders });

  interface NewProfile {
    userId?: string;
    anonymousIds?: string[];
    aliases?: string[];
    email?: string;
    phone?: string;
    lastSeenAt?: string;
    workspaceId?: string;
    traits?: Record<string, unknown>;
  }

  /** A profile row with its identities, written as ingestion would leave them. */
  async function insertProfile(p: NewProfile): Promise<string> {
    const workspaceId = p.workspaceId ?? t.workspaceId;
    const { db } = t.database;
    const { id } = await db
      .insertInto('profiles')
      .values({
        workspace_id: workspaceId,
        user_id: p.userId ?? null,
        email: p.email ?? null,
        phone: p.phone ?? null,
        traits: JSON.stringify(p.traits ?? {}),
        ...(p.lastSeenAt ? { last_seen_at: p.lastSeenAt } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const identities = [
      ...(p.userId ? [{ kind: 'user_id' as const, value: p.userId }] : []),
      ...(p.anonymousIds ?? []).map((value) => ({ kind: 'anonymous_id' as const, value })),
      ...(p.aliases ?? []).map((value) => ({ kind: 'alias' as const, value })),
    ];
    if (identities.length > 0) {
      await db
        .insertInto('profile_identities')
        .values(identities.map((i) => ({ ...i, workspace_id: workspaceId, profile_id: id })))
        .execute();
    }
    return id;
  }

  async function insertEvents(profileId: string, events: Array<{ messageId: string; timestamp: string }>) {
    await t.database.db
      .insertInto('events')
      .values(
        events.map((e) => ({
          workspace_id: t.workspaceId,
          message_id: e.messageId,
          type: 'track' as const,
          event: 'page_viewed',
          profile_id: profileId,
          properties: JSON.stringify({ n: e.messageId }),
          timestamp: e.timestamp,
        })),
      )
      .execute();
  }

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  describe('GET /api/profiles/:userId', () => {
    let adaId: string;
    let journeyId: string;

    beforeAll(async () => {
      const { db } = t.database;
      adaId = await insertProfile({
        userId: 'ada',
        anonymousIds: ['anon-ada-1', 'anon-ada-2'],
        aliases: ['ada@old.example.com'],
        email: 'Ada@Example.com',
        phone: '+442071234567',
        traits: { plan: 'pro', subscriptions: { email: true, sms: false, push: 'yes' } },
      });
      await db
        .updateTable('profiles')
        .set({
          timezone: 'Europe/London',
          locale: 'en-GB',
          push_tokens: JSON.stringify(['tok-1']),
          orders_count: 3,
          lifetime_value: '249.90',
          last_order_at: '2025-05-01T10:00:00Z',
          first_seen_at: '2025-01-01T00:00:00Z',
          last_seen_at: '2025-05-02T00:00:00Z',
          rfm_recency: 5,
          rfm_frequency: 3,
          rfm_monetary: 4,
          rfm_computed_at: '2025-05-03T00:00:00Z',
        })
        .where('id', '=', adaId)
        .execute();
      // 60 events: the view shows the 50 latest by when they happened, not by when they arrived.
      await insertEvents(
        adaId,
        Array.from({ length: 60 }, (_, i) => ({
          messageId: `m-${i}`,
          timestamp: new Date(Date.UTC(2025, 0, 1) + (i % 2 === 0 ? i : 120 - i) * 60_000).toISOString(),
        })),
      );

      const journey = await db
        .insertInto('journeys')
        .values({ workspace_id: t.workspaceId, name: 'Abandoned cart', draft: '{}', live_version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      journeyId = journey.id;
      await db
        .insertInto('journey_versions')
        .values({
          workspace_id: t.workspaceId,
          journey_id: journeyId,
          version: 1,
          graph: '{}',
          compiled: '{}',
        })
        .execute();
      await db
        .insertInto('enrollments')
        .values([
          {
            workspace_id: t.workspaceId,
            journey_id: journeyId,
            journey_version: 1,
            profile_id: adaId,
            status: 'completed',
            current_node: 'exit',
            entered_at: '2025-03-01T00:00:00Z',
            ended_at: '2025-03-02T00:00:00Z',
            end_reason: 'goal',
          },
          {
            workspace_id: t.workspaceId,
            journey_id: journeyId,
            journey_version: 1,
            profile_id: adaId,
            status: 'waiting',
            current_node: 'wait_for_order',
            entered_at: '2025-04-01T00:00:00Z',
          },
        ])
        .execute();
      await db
        .insertInto('messages')
        .values([
          {
            workspace_id: t.workspaceId,
            idempotency_key: 'k1',
            profile_id: adaId,
            journey_id: journeyId,
            node_id: 'email_cart',
            channel: 'email',
            status: 'sent',
            created_at: '2025-04-01T01:00:00Z',
            sent_at: '2025-04-01T01:00:05Z',
          },
          {
            workspace_id: t.workspaceId,
            idempotency_key: 'k2',
            profile_id: adaId,
            journey_id: journeyId,
            node_id: 'sms_discount',
            channel: 'sms',
            status: 'suppressed',
            suppressed_reason: 'no_consent',
            created_at: '2025-04-02T01:00:00Z',
          },
        ])
        .execute();
    });

    it('shows a profile with identities, consent, computed traits, events, enrollments and messages', async () => {
      const response = await get('/api/profiles/ada');
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({
        id: adaId,
        userId: 'ada',
        anonymousIds: ['anon-ada-1', 'anon-ada-2'],
        aliases: ['ada@old.example.com'],
        email: 'Ada@Example.com',
        phone: '+442071234567',
        timezone: 'Europe/London',
        locale: 'en-GB',
        pushTokens: ['tok-1'],
        traits: { plan: 'pro' },
        consent: { email: true, sms: false, push: null, whatsapp: null },
        computed: {
          orders_count: 3,
          lifetime_value: 249.9,
          last_order_at: '2025-05-01T10:00:00.000Z',
          first_seen_at: '2025-01-01T00:00:00.000Z',
          last_seen_at: '2025-05-02T00:00:00.000Z',
          rfm: { recency: 5, frequency: 3, monetary: 4 },
        },
      });
      expect(body.enrollments).toEqual([
        {
          id: expect.any(String),
          journeyId,
          journeyName: 'Abandoned cart',
          version: 1,
          status: 'waiting',
          currentNode: 'wait_for_order',
          enteredAt: '2025-04-01T00:00:00.000Z',
          endedAt: null,
          endReason: null,
          convertedAt: null,
          path: [],
        },
        expect.objectContaining({
          status: 'completed',
          endedAt: '2025-03-02T00:00:00.000Z',
          endReason: 'goal',
        }),
      ]);
      expect(body.messages).toEqual([
        expect.objectContaining({
          channel: 'sms',
          status: 'suppressed',
          suppressedReason: 'no_consent',
          sentAt: null,
        }),
        expect.objectContaining({
          channel: 'email',
          status: 'sent',
          journeyId,
          nodeId: 'email_cart',
          templateId: null,
          createdAt: '2025-04-01T01:00:00.000Z',
          sentAt: '2025-04-01T01:00:05.000Z',
        }),
      ]);
    });

    it('shows the 50 latest events by timestamp, newest first', async () => {
      const events = (await get('/api/profiles/ada')).json().recentEvents as Array<{
        timestamp: string;
        receivedAt: string;
      }>;
      expect(events).toHaveLength(50);
      const times = events.map((e) => e.timestamp);
      expect(times).toEqual([...times].sort().reverse());
      expect(events[0]).toMatchObject({
        messageId: 'm-1',
        type: 'track',
        event: 'page_viewed',
        properties: { n: 'm-1' },
        timestamp: '2025-01-01T01:59:00.000Z',
      });
      expect(new Date(events[0]?.receivedAt ?? '').getTime()).not.toBeNaN();
    });

    it('finds the profile by an anonymous id and by an alias', async () => {
      expect((await get('/api/profiles/anon-ada-2')).json().id).toBe(adaId);
      expect((await get(`/api/profiles/${encodeURIComponent('ada@old.example.com')}`)).json().id).toBe(adaId);
    });

    it('finds the surviving profile through an identifier of a profile merged into it', async () => {
      const survivor = await insertProfile({ userId: 'grace', anonymousIds: ['anon-grace'] });
      // The tombstone's own identity moved to the survivor, as a merge leaves it…
      const loser = await insertProfile({});
      await t.database.db
        .updateTable('profiles')
        .set({ merged_into: survivor })
        .where('id', '=', loser)
        .execute();
      await t.database.db
        .insertInto('profile_identities')
        .values([
          {
            workspace_id: t.workspaceId,
            kind: 'anonymous_id',
            value: 'anon-before-login',
            profile_id: survivor,
          },
          // …and one still on the tombstone is followed through merged_into.
          { workspace_id: t.workspaceId, kind: 'alias', value: 'grace-old-alias', profile_id: loser },
        ])
        .execute();
      expect((await get('/api/profiles/anon-before-login')).json()).toMatchObject({
        id: survivor,
        userId: 'grace',
        anonymousIds: expect.arrayContaining(['anon-grace', 'anon-before-login']),
      });
      expect((await get('/api/profiles/grace-old-alias')).json().id).toBe(survivor);
    });

    it('prefers a user id over an anonymous id and an alias of the same value', async () => {
      const byAlias = await insertProfile({ aliases: ['shared-value'] });
      const byAnonymous = await insertProfile({ anonymousIds: ['shared-value'] });
      expect((await get('/api/profiles/shared-value')).json().id).toBe(byAnonymous);
      const byUserId = await insertProfile({ userId: 'shared-value' });
      expect((await get('/api/profiles/shared-value')).json().id).toBe(byUserId);
      expect(byAlias).not.toBe(byUserId);
    });

    it('answers 404 naming the identifier it could not find', async () => {
      const response = await get('/api/profiles/nobody');
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'not_found', message: 'profile nobody not found' });
    });

    it('does not show a profile of another workspace with the same user id', async () => {
      const other = await createWorkspace(t.database.db, 'Other');
      await insertProfile({ workspaceId: other.id, userId: 'linus', anonymousIds: ['anon-linus'] });
      expect((await get('/api/profiles/linus')).statusCode).toBe(404);
      expect((await get('/api/profiles/anon-linus')).statusCode).toBe(404);
      expect((await get('/api/profiles/linus/events')).statusCode).toBe(404);
    });

    it('answers a profile nobody has scored yet with rfm null, no consent and empty lists', async () => {
      await insertProfile({ userId: 'fresh', traits: { subscriptions: 'yes' } });
      const body = (await get('/api/profiles/fresh')).json();
      expect(body).toMatchObject({
        anonymousIds: [],
        aliases: [],
        pushTokens: [],
        consent: { email: null, sms: null, push: null, whatsapp: null },
        computed: { orders_count: 0, lifetime_value: 0, last_order_at: null, rfm: null },
        recentEvents: [],
        enrollments: [],
        messages: [],
      });
    });
  });

  describe('GET /api/profiles/:userId/events', () => {
    it('pages through events newest first, without losing or repeating events of the same instant', async () => {
      const id = await insertProfile({ userId: 'pager' });
      // Several events per millisecond, and some differing only in microseconds.
      const at = ['2025-02-01 10:00:00.000001+00', '2025-02-01 10:00:00.000002+00', '2025-02-01 10:00:00+00'];
      await t.database.db
        .insertInto('events')
        .values(
          Array.from({ length: 9 }, (_, i) => ({
            workspace_id: t.workspaceId,
            message_id: `pager-${i}`,
            type: 'track' as const,
            event: 'tick',
            profile_id: id,
            timestamp: sql`${at[i % 3]}::timestamptz`,
          })),
        )
        .execute();
      const seen: string[] = [];
      let before: string | null = null;
      let pages = 0;
      do {
        const query: string = before ? `?limit=2&before=${encodeURIComponent(before)}` : '?limit=2';
        const response = await get(`/api/profiles/pager/events${query}`);
        expect(response.statusCode, response.body).toBe(200);
        const page = response.json();
        seen.push(...page.events.map((e: { messageId: string }) => e.messageId));
        before = page.nextBefore;
        pages += 1;
      } while (before);
      expect(pages).toBe(5);
      expect(seen).toEqual([
        'pager-7',
        'pager-4',
        'pager-1',
        'pager-6',
        'pager-3',
        'pager-0',
        'pager-8',
        'pager-5',
        'pager-2',
      ]);
    });

    it('refuses a cursor it did not hand out, naming the field', async () => {
      await insertProfile({ userId: 'cursor-check' });
      for (const before of [
        'nonsense',
        Buffer.from('["2025-13-01T00:00:00.000000Z","1"]').toString('base64url'),
      ]) {
        const response = await get(`/api/profiles/cursor-check/events?before=${before}`);
        expect(response.statusCode).toBe(400);
        expect(response.json().message).toBe('querystring.before: must be the nextBefore of a previous page');
      }
      const badLimit = await get('/api/profiles/cursor-check/events?limit=500');
      expect(badLimit.json().message).toBe('querystring.limit: must be at most 200');
    });
  });

  describe('GET /api/profiles', () => {
    const ids: Record<string, string> = {};
    const search = (query: string) => get(`/api/profiles${query}`);

    beforeAll(async () => {
      // The profiles of the suites above would get in the way of listing everything.
      await t.database.db.deleteFrom('profiles').where('workspace_id', '=', t.workspaceId).execute();
      ids.ada = await insertProfile({
        userId: 'ada',
        anonymousIds: ['anon-1'],
        aliases: ['ada-alias'],
        email: 'Ada.Lovelace@Example.com',
        phone: '+442071234567',
        lastSeenAt: '2025-05-05T00:00:00Z',
      });
      ids.bob = await insertProfile({
        userId: 'bob',
        email: 'bob@example.com',
        lastSeenAt: '2025-05-04T00:00:00Z',
      });
      ids.carol = await insertProfile({ anonymousIds: ['anon-carol'], lastSeenAt: '2025-05-03T00:00:00Z' });
      ids.dave = await insertProfile({
        userId: 'dave',
        phone: '5551234',
        lastSeenAt: '2025-05-02T00:00:00Z',
      });
      ids.erin = await insertProfile({ userId: 'erin', lastSeenAt: '2025-05-01T00:00:00Z' });
      // A tombstone that shares Bob's email: merged profiles never show up.
      ids.merged = await insertProfile({ email: 'bob@example.com', lastSeenAt: '2025-05-06T00:00:00Z' });
      await t.database.db
        .updateTable('profiles')
        .set({ merged_into: ids.bob, orders_count: 0 })
        .where('id', '=', ids.merged)
        .execute();
      await t.database.db
        .updateTable('profiles')
        .set({ orders_count: 2, lifetime_value: '40.50' })
        .where('id', '=', ids.bob)
        .execute();
      const other = await createWorkspace(t.database.db, 'Elsewhere');
      await insertProfile({
        workspaceId: other.id,
        userId: 'ada',
        email: 'ada.lovelace@example.com',
        lastSeenAt: '2025-06-01T00:00:00Z',
      });
    });

    const idsOf = (body: { profiles: SummaryBody[] }) => body.profiles.map((p) => p.id);

    it('lists live profiles of this workspace, most recently seen first, page by page', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
        const response = await search(query);
        expect(response.statusCode, response.body).toBe(200);
        const page = response.json();
        seen.push(...idsOf(page));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(seen).toEqual([ids.ada, ids.bob, ids.carol, ids.dave, ids.erin]);
      expect(pages).toBe(3);
    });

    it('answers the summary of each profile', async () => {
      const body = (await search('?q=bob')).json();
      expect(body).toEqual({
        profiles: [
          {
            id: ids.bob,
            userId: 'bob',
            email: 'bob@example.com',
            phone: null,
            lastSeenAt: '2025-05-04T00:00:00.000Z',
            ordersCount: 2,
            lifetimeValue: 40.5,
          },
        ],
        nextCursor: null,
      });
    });

    it.each([
      ['a user id', 'ada', 'ada'],
      ['an anonymous id', 'anon-carol', 'carol'],
      ['an alias', 'ada-alias', 'ada'],
      ['an email in another case', 'ADA.LOVELACE@example.COM', 'ada'],
      ['a phone number typed with spaces and parentheses', '+44 (20) 7123-4567', 'ada'],
      ['a phone number without a country code', '555 1234', 'dave'],
    ])('finds a profile by %s', async (_what, q, who) => {
      const body = (await search(`?q=${encodeURIComponent(q)}`)).json();
      expect(idsOf(body)).toEqual([ids[who]]);
    });

    it('matches exactly, not by prefix, and leaves merged profiles out', async () => {
      expect(idsOf((await search('?q=ad')).json())).toEqual([]);
      expect(idsOf((await search('?q=ada.lovelace')).json())).toEqual([]);
      expect(idsOf((await search('?q=bob%40example.com')).json())).toEqual([ids.bob]);
    });

    it('refuses a cursor it did not hand out, naming the field', async () => {
      const response = await search('?cursor=abc');
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe('querystring.cursor: must be the nextCursor of a previous page');
    });
  });
});
