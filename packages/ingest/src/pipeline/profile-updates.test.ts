import { describe, expect, it } from 'vitest';
import { defaultIngestSettings } from '../settings.js';
import type { IngestEvent } from '../spec/normalize.js';
import { normalisePhone, profileChangesOf, revenueCents } from './profile-updates.js';

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

describe('profileChangesOf', () => {
  it('reads traits, addresses and consent from an identify, keeping consent apart', () => {
    const changes = profileChangesOf(
      ev({
        type: 'identify',
        traits: { plan: 'pro', email: ' a@x.io ', phone: '+33 6 12 34 56 78', subscriptions: { sms: false } },
      }),
      defaultIngestSettings,
    );
    expect(changes).toMatchObject({
      traits: { plan: 'pro', email: ' a@x.io ', phone: '+33 6 12 34 56 78' },
      subscriptions: { sms: false },
      email: 'a@x.io',
      phone: '+33612345678',
    });
  });

  it('counts the configured order event with its revenue in cents, and nothing else', () => {
    const order = profileChangesOf(
      ev({ event: 'order_completed', properties: { revenue: '10.10' } }),
      defaultIngestSettings,
    );
    expect(order).toMatchObject({ order: true, revenueCents: 1010 });
    const other = profileChangesOf(
      ev({ event: 'checkout_started', properties: { revenue: 99 } }),
      defaultIngestSettings,
    );
    expect(other).toMatchObject({ order: false, revenueCents: 0 });
    const renamed = profileChangesOf(ev({ event: 'Order Completed', properties: { total: 5 } }), {
      orderEvent: 'Order Completed',
      revenueProperty: 'total',
    });
    expect(renamed).toMatchObject({ order: true, revenueCents: 500 });
  });

  it('keeps device timezone, locale and push token apart from explicit traits', () => {
    const changes = profileChangesOf(
      ev({ context: { timezone: 'Asia/Tokyo', locale: 'ja-JP', device: { token: 'apns-1' } } }),
      defaultIngestSettings,
    );
    expect(changes).toMatchObject({
      timezone: null,
      contextTimezone: 'Asia/Tokyo',
      contextLocale: 'ja-JP',
      pushToken: 'apns-1',
    });
    expect(
      profileChangesOf(ev({ context: { timezone: 'Mars/Olympus' } }), defaultIngestSettings).contextTimezone,
    ).toBeNull();
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
