import { signTrackingToken, type TrackingSecret } from './tokens.js';

/** The paths the server answers (DESIGN.md, "HTTP surface"); the token is the last segment. */
export const trackingPaths = { open: '/t/o/', click: '/t/c/', unsubscribe: '/u/' } as const;

/** Links longer than this are left as they are: the token would carry them whole. */
export const maxTrackedUrlBytes = 4096;

const join = (base: string, path: string, token: string) => `${base.replace(/\/+$/, '')}${path}${token}`;

/**
 * Whether a link can go through the click redirect: an absolute http(s) URL of reasonable
 * length. `mailto:`, `tel:`, anchors and Liquid left unrendered cannot.
 */
export function isTrackableUrl(href: string): boolean {
  if (Buffer.byteLength(href, 'utf8') > maxTrackedUrlBytes) return false;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The open pixel of a message: a 1×1 GIF whose fetch records `email_opened`.
 *
 * @example
 * openPixelUrl('https://t.example.com', secret, message.id);
 * // → 'https://t.example.com/t/o/AQ…'
 */
export function openPixelUrl(base: string, secret: TrackingSecret, messageId: string): string {
  return join(base, trackingPaths.open, signTrackingToken(secret, { kind: 'open', messageId }));
}

/**
 * A link of a message, through the click redirect that records `email_clicked` and sends the
 * reader on to `href`. The target is inside the signed token, so the redirect goes nowhere else.
 * A link that cannot be tracked ({@link isTrackableUrl}) is returned unchanged.
 *
 * @example
 * clickUrl('https://t.example.com', secret, message.id, 'https://shop.example.com/cart');
 */
export function clickUrl(base: string, secret: TrackingSecret, messageId: string, href: string): string {
  if (!isTrackableUrl(href)) return href;
  return join(base, trackingPaths.click, signTrackingToken(secret, { kind: 'click', messageId, url: href }));
}

/**
 * The unsubscribe link of a message (Liquid's `unsubscribe_url`, and the `List-Unsubscribe`
 * header with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`): it unsubscribes the
 * message's profile from the message's channel.
 *
 * @example
 * unsubscribeUrl('https://t.example.com', secret, message.id);
 */
export function unsubscribeUrl(base: string, secret: TrackingSecret, messageId: string): string {
  return join(base, trackingPaths.unsubscribe, signTrackingToken(secret, { kind: 'unsubscribe', messageId }));
}
