import { type ChannelAdapter, type ChannelRegistry, createChannelRegistry } from './adapter.js';
import { createInAppAdapter } from './adapters/inapp.js';
import { createSandboxAdapter } from './adapters/sandbox.js';
import { createSmtpAdapter } from './adapters/smtp.js';
import { createWebhookAdapter } from './adapters/webhook.js';

export interface EmailDeliveryConfig {
  /** `TOUCHLINE_SMTP_URL`; without it email stays in the sandbox. */
  smtpUrl?: string | undefined;
  /** `TOUCHLINE_EMAIL_FROM`. */
  emailFrom?: string | undefined;
  /** `TOUCHLINE_UNSUBSCRIBE_MAILTO`. */
  unsubscribeMailto?: string | undefined;
  /** Signs webhook requests (the server's tracking secret); without it webhooks stay in the sandbox. */
  webhookSigningSecret?: string | undefined;
  /** `TOUCHLINE_WEBHOOK_ALLOW_PRIVATE`: webhooks may call private and loopback addresses. */
  webhookAllowPrivate?: boolean | undefined;
}

/**
 * Every channel into the sandbox, in-app messages into the inbox the app reads, email by SMTP when it is configured, and webhooks by HTTP when
 * there is a signing secret (public addresses only, unless `webhookAllowPrivate`).
 */
export function createDefaultChannels(config: EmailDeliveryConfig): ChannelRegistry {
  const adapters: ChannelAdapter[] = [createSandboxAdapter(), createInAppAdapter()];
  if (config.smtpUrl) {
    adapters.push(
      createSmtpAdapter({
        url: config.smtpUrl,
        from: config.emailFrom ?? 'Touchline <touchline@localhost>',
        unsubscribeMailto: config.unsubscribeMailto,
      }),
    );
  }
  if (config.webhookSigningSecret) {
    adapters.push(
      createWebhookAdapter({
        signingSecret: config.webhookSigningSecret,
        allowPrivate: config.webhookAllowPrivate ?? false,
      }),
    );
  }
  return createChannelRegistry(adapters);
}
