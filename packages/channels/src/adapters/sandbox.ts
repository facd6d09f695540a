import type { ChannelAdapter, ChannelName } from '../adapter.js';

const allChannels: readonly ChannelName[] = ['email', 'sms', 'push', 'whatsapp', 'inapp', 'webhook'];

/**
 * Delivers nothing: the rendered message stays in the outbox (`GET /api/messages`), for
 * development and test sends, and for channels with no adapter configured.
 */
export function createSandboxAdapter(channels: readonly ChannelName[] = allChannels): ChannelAdapter {
  return {
    name: 'sandbox',
    channels,
    keepsContent: true,
    // Storing the same message twice stores one message: resending after a crash is safe.
    idempotent: true,
    async send(message) {
      return { providerId: `sandbox:${message.messageId}` };
    },
  };
}
