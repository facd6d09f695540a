import { describe, expect, it } from 'vitest';
import { defaultIngestSettings } from '../settings.js';
import type { IngestEvent } from '../spec/normalize.js';
import { aggregateProfileUpdates, normalisePhone, revenueCents } from './profile-updates.js';

const ws = '00000000-0000-4000-8000-000000000001';
function ev(partial: Partial<IngestEvent>): IngestEvent {
  return {
    workspaceId: ws,
    messageId: 'm',
    type: 'track',
    event: 'x',
    userId: 'u',
    anonymousId: null,
    previousId: null,
    properties: {},
    traits: null,
    context: {},
    timestamp: new Date('2026-01-01T00:00:00Z'),
    receivedAt: new Date(),
    propertiesJson: '{}',
    contextJson: '{}',
    ...partial,
  };
}
const settings = () => defaultIngestSettings;

describe('aggregateProfileUpdates', () => {
  it('folds a group into one update per profile: last identify wins, seen times span the events', () => {
    const [update] = aggregateProfileUpdates(
      [
        ev({
          type: 'identify',
          traits: { plan: 'free', email: 'a@x.io' },
          timestamp: new Date('2026-01-02T00:00:00Z'),
        }),
        ev({ type: 'identify', traits: { plan: 'pro' }, timestamp: new Date('2026-01-01T00:00:00Z') }),
        ev({ event: 'viewed', timestamp: new Date('2026-01-03T00:00:00Z') }),
      ],
      ['p', 'p', 'p'],
      settings,
    );
    expect(update).toMatchObject({
      profileId: 'p',
      traits: { plan: 'pro', email: 'a@x.io' },
      email: 'a@x.io',
      firstSeenAt: new Date('2026-01-01T00:00:00Z'),
      lastSeenAt: new Date('2026-01-03T00:00:00Z'),
      orders: 0,
    });
  });

  it('counts orders and revenue in cents from the configured order event only', () => {
    const [update] = aggregateProfileUpdates(
      [
        ev({
          event: 'order_completed',
          properties: { revenue: 10.1 },
          timestamp: new Date('2026-02-01T00:00:00Z'),
        }),
        ev({ event: 'order_completed', properties: { revenue: '0.20' } }),
        ev({ event: 'order_completed', properties: { revenue: 'n/a' } }),
        ev({ event: 'checkout_started', properties: { revenue: 99 } }),
      ],
      ['p', 'p', 'p', 'p'],
      settings,
    );
    expect(update).toMatchObject({
      orders: 3,
      revenueCents: 1030,
      lastOrderAt: new Date('2026-02-01T00:00:00Z'),
    });
  });

  it('keeps consent apart so a partial update does not forget other channels', () => {
    const [update] = aggregateProfileUpdates(
      [ev({ type: 'identify', traits: { subscriptions: { sms: false } } })],
      ['p'],
      settings,
    );
    expect(update?.traits).toBeNull();
    expect(update?.subscriptions).toEqual({ sms: false });
  });

  it('takes timezone, locale and push token from context when traits do not say', () => {
    const [update] = aggregateProfileUpdates(
      [ev({ context: { timezone: 'Asia/Tokyo', locale: 'ja-JP', device: { token: 'apns-1' } } })],
      ['p'],
      settings,
    );
    expect(update).toMatchObject({ timezone: 'Asia/Tokyo', locale: 'ja-JP', pushTokens: ['apns-1'] });
    const [bad] = aggregateProfileUpdates([ev({ context: { timezone: 'Mars/Olympus' } })], ['p'], settings);
    expect(bad?.timezone).toBeNull();
  });
});

describe('field normalisation', () => {
  it('stores phone numbers without separators and refuses non-numbers', () => {
    expect(normalisePhone('+44 (20) 7946-0958')).toBe('+442079460958');
    expect(normalisePhone('call me')).toBeNull();
  });
  it('reads revenue from numbers and numeric strings, exactly to the cent', () => {
    expect(revenueCents(19.99)).toBe(1999);
    expect(revenueCents('0.1')).toBe(10);
    expect(revenueCents({})).toBe(0);
  });
});
