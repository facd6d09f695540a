import type { ChannelAdapter } from '../adapter.js';

/**
 * The in-app inbox: delivering stores the rendered message on its outbox row, where the app
 * fetches it (`GET /v1/inapp`), which marks it delivered; `POST /v1/inapp/:id/read` marks it
 * opened. Storing twice stores once, so a resend after a crash is safe.
 */
export function createInAppAdapter(): ChannelAdapter {
  return {
    name: 'inapp',
    channels: ['inapp'],
    keepsContent: true,
    idempotent: true,
    async send(message) {
      return { providerId: `inapp:${message.messageId}` };
    },
  };
}
