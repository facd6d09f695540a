import type { ChannelAdapter } from '../adapter.js';
import { createHttpProviderAdapter, type HttpProviderOptions } from './http-provider.js';
import type { BodyTemplate } from './http-provider-mapping.js';

/** What an SMS provider receives unless its settings say otherwise. */
export const defaultSmsBody: BodyTemplate = Object.freeze({ to: '{{ to }}', text: '{{ text }}' });

/** SMS through a provider's HTTP API: `to` is the profile's phone, `text` the rendered template. */
export function createSmsAdapter(
  options: Omit<HttpProviderOptions, 'channel' | 'body'> & { body?: BodyTemplate | undefined },
): ChannelAdapter {
  return createHttpProviderAdapter({ ...options, channel: 'sms', body: options.body ?? defaultSmsBody });
}
