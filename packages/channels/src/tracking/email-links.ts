import type { EmailLinks } from '../email/tracking-html.js';
import type { TrackingSecret } from './tokens.js';
import { clickUrl, openPixelUrl, unsubscribeUrl } from './urls.js';

/**
 * The signed open pixel, click redirects and unsubscribe link of one outbox message, in the
 * shape email rendering applies (what `Delivery.links` returns).
 *
 * @example
 * const links = trackedEmailLinks(config.publicUrl, trackingSecrets, message.id);
 */
export function trackedEmailLinks(base: string, secret: TrackingSecret, messageId: string): EmailLinks {
  return {
    openPixelUrl: openPixelUrl(base, secret, messageId),
    clickUrl: (href) => clickUrl(base, secret, messageId, href),
    unsubscribeUrl: unsubscribeUrl(base, secret, messageId),
  };
}
