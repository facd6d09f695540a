import type { ChannelAdapter } from '../adapter.js';
import { createHttpProviderAdapter, type HttpProviderOptions } from './http-provider.js';
import type { BodyTemplate } from './http-provider-mapping.js';

/**
 * What a WhatsApp provider receives unless its settings say otherwise: the approved template's
 * name and language, and its parameters (rendered Liquid, in order) as a JSON array.
 */
export const defaultWhatsappBody: BodyTemplate = Object.freeze({
  to: '{{ to }}',
  template: { name: '{{ templateName }}', language: '{{ language }}', parameters: '{{ parameters }}' },
});

/** WhatsApp approved-template messages through a provider's HTTP API; `to` is the profile's phone. */
export function createWhatsappAdapter(
  options: Omit<HttpProviderOptions, 'channel' | 'body'> & { body?: BodyTemplate | undefined },
): ChannelAdapter {
  return createHttpProviderAdapter({
    ...options,
    channel: 'whatsapp',
    body: options.body ?? defaultWhatsappBody,
  });
}
