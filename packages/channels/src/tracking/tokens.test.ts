import { describe, expect, it } from 'vitest';
import { trackedEmailLinks } from './email-links.js';
import { signTrackingToken, verifyTrackingToken } from './tokens.js';
import { clickUrl, isTrackableUrl, openPixelUrl, unsubscribeUrl } from './urls.js';

const secret = 'tracking-secret-0123456789abcdef';
const messageId = '0b5e8a4c-3f1d-4c1e-9a6b-7d2f0e1c2b3a';
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** Flips one bit of the decoded token and encodes it again. */
function flip(token: string, byte: number): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[byte] = (bytes[byte] as number) ^ 1;
  return bytes.toString('base64url');
}

describe('tracking tokens', () => {
  it('round-trips each kind, the click target byte for byte', () => {
    const url = 'https://shop.example.com/cart?utm_source=touchline&q=caf%C3%A9#top';
    for (const token of [
      { kind: 'open', messageId },
      { kind: 'click', messageId, url },
      { kind: 'click', messageId, url: 'https://exämple.com/ünïcode' },
      { kind: 'unsubscribe', messageId },
    ] as const) {
      expect(verifyTrackingToken(secret, signTrackingToken(secret, token), token.kind)).toEqual(token);
    }
  });

  it('is compact: an open token is 47 characters, a click token adds the URL and no JSON', () => {
    expect(signTrackingToken(secret, { kind: 'open', messageId })).toMatch(/^[A-Za-z0-9_-]{47}$/);
    const url = 'https://example.com/';
    const click = signTrackingToken(secret, { kind: 'click', messageId, url });
    expect(click.length).toBe(Math.ceil(((35 + url.length) * 4) / 3));
  });

  it('refuses a token with any bit changed, cut short or lengthened', () => {
    const token = signTrackingToken(secret, { kind: 'click', messageId, url: 'https://example.com/a' });
    const length = Buffer.from(token, 'base64url').length;
    for (let byte = 0; byte < length; byte++) {
      expect(verifyTrackingToken(secret, flip(token, byte), 'click'), `byte ${byte}`).toBeUndefined();
    }
    expect(verifyTrackingToken(secret, token.slice(0, -1), 'click')).toBeUndefined();
    expect(verifyTrackingToken(secret, `${token}A`, 'click')).toBeUndefined();
    expect(verifyTrackingToken(secret, '', 'click')).toBeUndefined();
    expect(verifyTrackingToken(secret, 'not a token!', 'click')).toBeUndefined();
  });

  it('refuses a click token whose target was swapped for another', () => {
    const token = signTrackingToken(secret, { kind: 'click', messageId, url: 'https://example.com/a' });
    const bytes = Buffer.from(token, 'base64url');
    const body = Buffer.from(bytes.subarray(0, bytes.length - 16));
    const evil = Buffer.concat([
      body.subarray(0, 19),
      Buffer.from('https://evil.example/a'),
      bytes.subarray(bytes.length - 16),
    ]);
    expect(verifyTrackingToken(secret, evil.toString('base64url'), 'click')).toBeUndefined();
  });

  it('refuses a genuine token used as another kind', () => {
    const open = signTrackingToken(secret, { kind: 'open', messageId });
    expect(verifyTrackingToken(secret, open, 'unsubscribe')).toBeUndefined();
    expect(verifyTrackingToken(secret, open, 'click')).toBeUndefined();
    const unsubscribe = signTrackingToken(secret, { kind: 'unsubscribe', messageId });
    expect(verifyTrackingToken(secret, unsubscribe, 'open')).toBeUndefined();
  });

  it('refuses a token signed with another secret', () => {
    const token = signTrackingToken('another-secret-0123456789abcdef', { kind: 'open', messageId });
    expect(verifyTrackingToken(secret, token, 'open')).toBeUndefined();
  });

  it('rotates: the first secret signs, the others still verify what they signed', () => {
    const old = signTrackingToken(secret, { kind: 'unsubscribe', messageId });
    const rotated = ['new-secret-0123456789abcdef', secret];
    const fresh = signTrackingToken(rotated, { kind: 'unsubscribe', messageId });
    expect(fresh).not.toBe(old);
    expect(verifyTrackingToken(rotated, old, 'unsubscribe')?.messageId).toBe(messageId);
    expect(verifyTrackingToken(rotated, fresh, 'unsubscribe')?.messageId).toBe(messageId);
    // Once the old secret is dropped, its links stop working.
    expect(verifyTrackingToken(['new-secret-0123456789abcdef'], old, 'unsubscribe')).toBeUndefined();
  });

  it('signs message ids only as UUIDs', () => {
    expect(() => signTrackingToken(secret, { kind: 'open', messageId: 'msg-1' })).toThrow(/not a UUID/);
    expect(() => signTrackingToken([], { kind: 'open', messageId })).toThrow(/no tracking secret/);
  });
});

describe('tracking URLs', () => {
  it('puts each token under its path of the public URL, with or without a trailing slash', () => {
    const open = openPixelUrl('https://t.example.com/', secret, messageId);
    expect(open).toMatch(/^https:\/\/t\.example\.com\/t\/o\/[A-Za-z0-9_-]+$/);
    expect(verifyTrackingToken(secret, tokenOf(open), 'open')).toEqual({ kind: 'open', messageId });
    const unsubscribe = unsubscribeUrl('https://example.com/touchline', secret, messageId);
    expect(unsubscribe).toMatch(/^https:\/\/example\.com\/touchline\/u\/[A-Za-z0-9_-]+$/);
    expect(verifyTrackingToken(secret, tokenOf(unsubscribe), 'unsubscribe')?.messageId).toBe(messageId);
    const click = clickUrl('http://localhost:3000', secret, messageId, 'https://example.com/p?id=1');
    expect(click).toMatch(/^http:\/\/localhost:3000\/t\/c\/[A-Za-z0-9_-]+$/);
    expect(verifyTrackingToken(secret, tokenOf(click), 'click')).toEqual({
      kind: 'click',
      messageId,
      url: 'https://example.com/p?id=1',
    });
  });

  it('leaves links that cannot be redirected as they are', () => {
    for (const href of [
      'mailto:ada@example.com',
      'tel:+4930123',
      '#top',
      '{{ url }}',
      'javascript:alert(1)',
    ]) {
      expect(isTrackableUrl(href)).toBe(false);
      expect(clickUrl('https://t.example.com', secret, messageId, href)).toBe(href);
    }
    const long = `https://example.com/?q=${'x'.repeat(5000)}`;
    expect(clickUrl('https://t.example.com', secret, messageId, long)).toBe(long);
  });
});

describe('trackedEmailLinks', () => {
  it("signs one message's pixel, redirects and unsubscribe link", () => {
    const links = trackedEmailLinks('https://t.example.com', secret, messageId);
    expect(verifyTrackingToken(secret, tokenOf(links.openPixelUrl ?? ''), 'open')?.messageId).toBe(messageId);
    expect(verifyTrackingToken(secret, tokenOf(links.clickUrl('https://example.com/x')), 'click')).toEqual({
      kind: 'click',
      messageId,
      url: 'https://example.com/x',
    });
    expect(links.clickUrl('mailto:ada@example.com')).toBe('mailto:ada@example.com');
    expect(verifyTrackingToken(secret, tokenOf(links.unsubscribeUrl), 'unsubscribe')?.messageId).toBe(
      messageId,
    );
  });
});
