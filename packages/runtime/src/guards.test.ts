import { describe, expect, it } from 'vitest';
import {
  defaultMessaging,
  evaluateGuards,
  inQuietHours,
  type Recipient,
  type SendRequest,
  type SentMessage,
} from './guards.js';

const now = new Date('2026-12-01T12:00:00Z');
const hour = 3_600_000;
const email: SendRequest = {
  channel: 'email',
  journeyId: 'j1',
  transactional: false,
  journeyCap: null,
  quietHours: null,
};
const ada: Recipient = {
  reachable: true,
  subscribed: null,
  suppressedAddress: false,
  timezone: 'Europe/Paris',
};
const sent = (channel: string, hoursAgo: number, journeyId: string | null = 'j2'): SentMessage => ({
  channel,
  journeyId,
  at: now.getTime() - hoursAgo * hour,
});

describe('guards before a send', () => {
  it('sends to a reachable profile under an opt-out default', () => {
    expect(evaluateGuards(email, ada, [], defaultMessaging, now)).toEqual({ send: true });
  });

  it('names consent: an unsubscribe, and a missing opt-in where the workspace asks for one', () => {
    expect(evaluateGuards(email, { ...ada, subscribed: false }, [], defaultMessaging, now)).toMatchObject({
      send: false,
      reason: 'unsubscribed',
    });
    const optIn = { ...defaultMessaging, consent: { email: 'opt_in' as const } };
    expect(evaluateGuards(email, ada, [], optIn, now)).toMatchObject({ send: false, reason: 'not_opted_in' });
    expect(evaluateGuards(email, { ...ada, subscribed: true }, [], optIn, now)).toEqual({ send: true });
  });

  it('lets a transactional message through consent and caps, but not to a suppressed or missing address', () => {
    const receipt = { ...email, transactional: true };
    const capped = { ...defaultMessaging, caps: { email: { perDay: 1 } } };
    expect(evaluateGuards(receipt, { ...ada, subscribed: false }, [sent('email', 1)], capped, now)).toEqual({
      send: true,
    });
    expect(evaluateGuards(receipt, { ...ada, suppressedAddress: true }, [], capped, now)).toMatchObject({
      reason: 'suppressed_address',
    });
    expect(evaluateGuards(receipt, { ...ada, reachable: false }, [], capped, now)).toMatchObject({
      reason: 'no_address',
    });
  });

  it('counts the channel caps over a rolling day and week, per channel', () => {
    const caps = { ...defaultMessaging, caps: { email: { perDay: 2, perWeek: 3 } } };
    expect(evaluateGuards(email, ada, [sent('email', 1), sent('email', 5)], caps, now)).toMatchObject({
      reason: 'channel_cap_day',
      detail: '2 email messages in the last day (cap 2)',
    });
    // Two older than a day: the day has room, the week (3) does not.
    expect(
      evaluateGuards(email, ada, [sent('email', 1), sent('email', 30), sent('email', 50)], caps, now),
    ).toMatchObject({ reason: 'channel_cap_week' });
    // SMS does not count against email.
    expect(evaluateGuards(email, ada, [sent('sms', 1), sent('sms', 2)], caps, now)).toEqual({ send: true });
  });

  it("applies the journey's own cap to its messages only, and the minimum interval per channel", () => {
    const capped = { ...email, journeyCap: { max: 1, perMs: 7 * 24 * hour } };
    expect(evaluateGuards(capped, ada, [sent('email', 100, 'j1')], defaultMessaging, now)).toMatchObject({
      reason: 'journey_cap',
    });
    expect(evaluateGuards(capped, ada, [sent('email', 100, 'j2')], defaultMessaging, now)).toEqual({
      send: true,
    });
    const interval = { ...defaultMessaging, minIntervalMs: 4 * hour };
    expect(evaluateGuards(email, ada, [sent('email', 3)], interval, now)).toMatchObject({
      reason: 'min_interval',
      detail: 'the last email message was 180 min ago',
    });
    expect(evaluateGuards(email, ada, [sent('email', 5)], interval, now)).toEqual({ send: true });
  });

  it("holds a send in quiet hours on the profile's clock until they end, or skips it", () => {
    // 12:00Z is 21:00 in Tokyo: inside 20:00–08:00 there, outside it in Paris (13:00).
    const quiet = {
      ...email,
      quietHours: { start: '20:00', end: '08:00', timezone: 'profile', behavior: 'delay' as const },
    };
    expect(evaluateGuards(quiet, ada, [], defaultMessaging, now)).toEqual({ send: true });
    const tokyo = { ...ada, timezone: 'Asia/Tokyo' };
    expect(evaluateGuards(quiet, tokyo, [], defaultMessaging, now)).toEqual({
      send: 'later',
      at: new Date('2026-12-01T23:00:00Z'),
      detail: 'quiet hours 20:00–08:00 (Asia/Tokyo)',
    });
    const skip = { ...quiet, quietHours: { ...quiet.quietHours, behavior: 'skip' as const } };
    expect(evaluateGuards(skip, tokyo, [], defaultMessaging, now)).toMatchObject({
      send: false,
      reason: 'quiet_hours',
    });
  });

  it('reads a quiet window that wraps midnight, and an empty one', () => {
    expect(inQuietHours(new Date('2026-12-01T23:30:00Z'), '22:00', '07:00', 'UTC')).toBe(true);
    expect(inQuietHours(new Date('2026-12-01T06:59:00Z'), '22:00', '07:00', 'UTC')).toBe(true);
    expect(inQuietHours(new Date('2026-12-01T07:00:00Z'), '22:00', '07:00', 'UTC')).toBe(false);
    expect(inQuietHours(new Date('2026-12-01T13:00:00Z'), '12:00', '14:00', 'UTC')).toBe(true);
    expect(inQuietHours(new Date('2026-12-01T13:00:00Z'), '12:00', '12:00', 'UTC')).toBe(false);
  });
});
