import type { Profile } from '@touchline/db';
import { describe, expect, it } from 'vitest';
import { consentOf, profileBody, toProfileBody, toProfileSummaryBody } from './profile-schemas.js';

const at = (iso: string) => new Date(iso);

function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    workspace_id: '00000000-0000-4000-8000-000000000001',
    id: '00000000-0000-4000-8000-000000000002',
    user_id: 'ada',
    traits: {},
    computed: {},
    email: null,
    phone: null,
    timezone: null,
    locale: null,
    merged_into: null,
    first_seen_at: at('2025-01-01T00:00:00Z'),
    last_seen_at: at('2025-02-01T00:00:00Z'),
    updated_at: at('2025-02-01T00:00:00Z'),
    orders_count: 0,
    lifetime_value: '0.00',
    last_order_at: null,
    rfm_recency: null,
    rfm_frequency: null,
    rfm_monetary: null,
    rfm_computed_at: null,
    push_tokens: [],
    ...overrides,
  };
}

const empty = { identities: [], events: [], enrollments: [], steps: [], messages: [] };

describe('consentOf', () => {
  it('reads each channel from traits.subscriptions, true or false', () => {
    expect(consentOf({ subscriptions: { email: true, sms: false, whatsapp: true } })).toEqual({
      email: true,
      sms: false,
      push: null,
      whatsapp: true,
    });
  });

  it('counts anything but a boolean as never asked', () => {
    expect(consentOf({ subscriptions: { email: 'yes', sms: 1, push: null } })).toEqual({
      email: null,
      sms: null,
      push: null,
      whatsapp: null,
    });
    expect(consentOf({ subscriptions: [true] })).toEqual({
      email: null,
      sms: null,
      push: null,
      whatsapp: null,
    });
    expect(consentOf({})).toEqual({ email: null, sms: null, push: null, whatsapp: null });
  });
});

describe('toProfileBody', () => {
  it('splits identities by kind, keeping their order', () => {
    const body = toProfileBody({
      ...empty,
      profile: profile(),
      identities: [
        { kind: 'user_id', value: 'ada' },
        { kind: 'anonymous_id', value: 'anon-2' },
        { kind: 'alias', value: 'ada@example.com' },
        { kind: 'anonymous_id', value: 'anon-1' },
      ],
    });
    expect(body.userId).toBe('ada');
    expect(body.anonymousIds).toEqual(['anon-2', 'anon-1']);
    expect(body.aliases).toEqual(['ada@example.com']);
  });

  it('answers computed traits with the lifetime value as a number and timestamps as ISO strings', () => {
    const body = toProfileBody({
      ...empty,
      profile: profile({
        orders_count: 4,
        lifetime_value: '1234.56',
        last_order_at: at('2025-01-20T08:30:00Z'),
        rfm_recency: 5,
        rfm_frequency: 2,
        rfm_monetary: 3,
      }),
    });
    expect(body.computed).toEqual({
      orders_count: 4,
      lifetime_value: 1234.56,
      last_order_at: '2025-01-20T08:30:00.000Z',
      first_seen_at: '2025-01-01T00:00:00.000Z',
      last_seen_at: '2025-02-01T00:00:00.000Z',
      rfm: { recency: 5, frequency: 2, monetary: 3 },
    });
  });

  it('answers rfm as null until all three scores are set', () => {
    const body = toProfileBody({ ...empty, profile: profile({ rfm_recency: 5, rfm_frequency: 2 }) });
    expect(body.computed.rfm).toBeNull();
  });

  it('keeps only string push tokens', () => {
    const body = toProfileBody({
      ...empty,
      profile: profile({ push_tokens: ['a', 7, 'b'] as unknown as string[] }),
    });
    expect(body.pushTokens).toEqual(['a', 'b']);
  });

  it('renames event, enrollment and message columns to the API’s names', () => {
    const body = toProfileBody({
      profile: profile(),
      identities: [],
      steps: [
        {
          enrollment_id: '00000000-0000-4000-8000-000000000003',
          node_id: 'daily_lapsed',
          visit: 1,
          type: 'trigger.schedule',
          port: 'out',
          rule: 'trigger',
          reason: null,
          facts: null,
          entered_at: at('2025-01-11T00:00:00Z'),
          left_at: at('2025-01-11T00:00:00Z'),
        },
        {
          enrollment_id: '00000000-0000-4000-8000-0000000000ff',
          node_id: 'another_enrollment',
          visit: 1,
          type: 'exit',
          port: null,
          rule: null,
          reason: null,
          facts: null,
          entered_at: at('2025-01-11T00:00:00Z'),
          left_at: null,
        },
      ],
      events: [
        {
          id: '41',
          message_id: 'msg-1',
          type: 'track',
          event: 'order_completed',
          properties: { revenue: 20 },
          timestamp: at('2025-01-10T00:00:00Z'),
          received_at: at('2025-01-10T00:00:01Z'),
        },
      ],
      enrollments: [
        {
          id: '00000000-0000-4000-8000-000000000003',
          journey_id: '00000000-0000-4000-8000-000000000004',
          journey_name: 'Win-back',
          journey_version: 2,
          status: 'exited',
          current_node: null,
          entered_at: at('2025-01-11T00:00:00Z'),
          ended_at: at('2025-01-12T00:00:00Z'),
          end_reason: 'exit_event',
          converted_at: null,
        },
      ],
      messages: [
        {
          id: '00000000-0000-4000-8000-000000000005',
          channel: 'email',
          journey_id: null,
          node_id: null,
          template_id: '00000000-0000-4000-8000-000000000006',
          status: 'queued',
          suppressed_reason: null,
          created_at: at('2025-01-13T00:00:00Z'),
          sent_at: null,
        },
      ],
    });
    expect(body.recentEvents).toEqual([
      {
        id: '41',
        messageId: 'msg-1',
        type: 'track',
        event: 'order_completed',
        properties: { revenue: 20 },
        timestamp: '2025-01-10T00:00:00.000Z',
        receivedAt: '2025-01-10T00:00:01.000Z',
      },
    ]);
    expect(body.enrollments).toEqual([
      {
        id: '00000000-0000-4000-8000-000000000003',
        journeyId: '00000000-0000-4000-8000-000000000004',
        journeyName: 'Win-back',
        version: 2,
        status: 'exited',
        currentNode: null,
        enteredAt: '2025-01-11T00:00:00.000Z',
        endedAt: '2025-01-12T00:00:00.000Z',
        endReason: 'exit_event',
        convertedAt: null,
        path: [
          {
            nodeId: 'daily_lapsed',
            type: 'trigger.schedule',
            visit: 1,
            port: 'out',
            rule: 'trigger',
            reason: null,
            facts: null,
            enteredAt: '2025-01-11T00:00:00.000Z',
            leftAt: '2025-01-11T00:00:00.000Z',
          },
        ],
      },
    ]);
    expect(body.messages).toEqual([
      {
        id: '00000000-0000-4000-8000-000000000005',
        channel: 'email',
        journeyId: null,
        nodeId: null,
        templateId: '00000000-0000-4000-8000-000000000006',
        status: 'queued',
        suppressedReason: null,
        createdAt: '2025-01-13T00:00:00.000Z',
        sentAt: null,
      },
    ]);
    // What the function builds is what the route's response schema lets through.
    expect(profileBody.parse(body)).toEqual(body);
  });
});

describe('toProfileSummaryBody', () => {
  it('answers the lifetime value as a number', () => {
    expect(
      toProfileSummaryBody({
        id: '00000000-0000-4000-8000-000000000002',
        user_id: null,
        email: 'a@example.com',
        phone: '+15551234',
        last_seen_at: at('2025-03-01T00:00:00Z'),
        orders_count: 1,
        lifetime_value: '19.99',
      }),
    ).toEqual({
      id: '00000000-0000-4000-8000-000000000002',
      userId: null,
      email: 'a@example.com',
      phone: '+15551234',
      lastSeenAt: '2025-03-01T00:00:00.000Z',
      ordersCount: 1,
      lifetimeValue: 19.99,
    });
  });
});
