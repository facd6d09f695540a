import type { ChannelAdapter } from '../adapter.js';
import { createHttpProviderAdapter, type HttpProviderOptions } from './http-provider.js';
import type { BodyTemplate } from './http-provider-mapping.js';

/** What a push provider receives unless its settings say otherwise; unset fields are left out. */
export const defaultPushBody: BodyTemplate = Object.freeze({
  to: '{{ to }}',
  title: '{{ title }}',
  body: '{{ body }}',
  deepLink: '{{ deepLink }}',
  image: '{{ image }}',
});

/**
 * Push through a provider's HTTP API: `to` is the profile's most recent device token, then the
 * rendered `title`, `body`, `deepLink` and `image`.
 */
export function createPushAdapter(
  options: Omit<HttpProviderOptions, 'channel' | 'body'> & { body?: BodyTemplate | undefined },
): ChannelAdapter {
  return createHttpProviderAdapter({ ...options, channel: 'push', body: options.body ?? defaultPushBody });
}
