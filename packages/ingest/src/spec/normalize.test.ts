import { describe, expect, it } from 'vitest';
import { normalizeMessage } from './normalize.js';

const workspaceId = '00000000-0000-4000-8000-000000000001';
const receivedAt = new Date('2026-11-20T12:00:00.000Z');
const options = { workspaceId, receivedAt };

function issuesOf(raw: unknown, extra = {}) {
  const result = normalizeMessage(raw, { ...options, ...extra });
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('normalizeMessage', () => {
  it('keeps a track call as Segment defines it, with the timestamp the sender gave', () => {
    const result = normalizeMessage(
      {
        type: 'track',
        userId: 42,
        event: 'order_completed',
        properties: { revenue: 10 },
        messageId: 'abc',
        timestamp: '2026-11-19T08:00:00Z',
        integrations: { All: true },
      },
      options,
    );
    expect(result.ok && result.event).toMatchObject({
      type: 'track',
      userId: '42',
      event: 'order_completed',
      messageId: 'abc',
      properties: { revenue: 10 },
      timestamp: new Date('2026-11-19T08:00:00Z'),
    });
  });

  it('without a timestamp the event happened when it was received; originalTimestamp is corrected by sentAt', () => {
    const plain = normalizeMessage({ type: 'track', userId: 'u', event: 'e' }, options);
    expect(plain.ok && plain.event.timestamp).toEqual(receivedAt);
    // The device clock is 1 h fast: sent at 13:00 device time, happened 10 s before that.
    const skewed = normalizeMessage(
      {
        type: 'track',
        userId: 'u',
        event: 'e',
        originalTimestamp: '2026-11-20T12:59:50Z',
        sentAt: '2026-11-20T13:00:00Z',
      },
      options,
    );
    expect(skewed.ok && skewed.event.timestamp).toEqual(new Date('2026-11-20T11:59:50Z'));
  });

  it('identify merges context.traits under the call traits and stores them as the event properties', () => {
    const result = normalizeMessage(
      { userId: 'u', traits: { plan: 'pro' }, context: { traits: { plan: 'free', email: 'a@b.co' } } },
      { ...options, type: 'identify' },
    );
    expect(result.ok && result.event.traits).toEqual({ plan: 'pro', email: 'a@b.co' });
    expect(result.ok && JSON.parse(result.event.propertiesJson)).toEqual({ plan: 'pro', email: 'a@b.co' });
  });

  it('generates a messageId when none is sent', () => {
    const result = normalizeMessage({ type: 'page', anonymousId: 'a', name: 'Home' }, options);
    expect(result.ok && result.event.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.ok && result.event.properties).toEqual({ name: 'Home' });
  });

  it('names what is wrong', () => {
    expect(issuesOf({ type: 'track', event: 'e' })).toEqual(['userId: userId or anonymousId is required']);
    expect(issuesOf({ userId: 'u' })).toEqual(['type: is required']);
    expect(issuesOf({ type: 'alias', userId: 'u' })).toEqual(['previousId: is required']);
    expect(issuesOf({ type: 'track', userId: 'u', event: 'e', properties: [] })).toEqual([
      'properties: must be an object',
    ]);
    expect(issuesOf({ type: 'track', userId: 'u', event: 'e', timestamp: '2030-01-01T00:00:00Z' })).toEqual([
      'timestamp: must be after 1970 and at most 24 hours ahead of the server clock',
    ]);
    expect(issuesOf({ type: 'track', userId: 'u', event: 'e', properties: { note: 'a\u0000b' } })).toEqual([
      'properties.note: must not contain NUL characters',
    ]);
    expect(issuesOf({ type: 'identify', userId: 'u', traits: { a: 1 } }, { type: 'track' })).toEqual([
      'type: must be "track" on this endpoint (or left out)',
    ]);
  });

  it('refuses nesting deeper than the limit and messages larger than 32 KB', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 12; i++) deep = { deeper: deep };
    expect(issuesOf({ type: 'track', userId: 'u', event: 'e', properties: deep })[0]).toMatch(
      /^properties(\.deeper)+: is nested deeper than 10 levels$/,
    );
    expect(
      issuesOf({ type: 'track', userId: 'u', event: 'e', properties: { blob: 'x'.repeat(40_000) } }),
    ).toEqual([': message is 40013 bytes of properties, traits and context; the limit is 32768 bytes']);
  });
});
