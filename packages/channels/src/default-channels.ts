import { type ChannelRegistry, createChannelRegistry } from './adapter.js';
import { createSandboxAdapter } from './adapters/sandbox.js';
import { createSmtpAdapter } from './adapters/smtp.js';

export interface EmailDeliveryConfig {
  /** `TOUCHLINE_SMTP_URL`; without it email stays in the sandbox. */
  smtpUrl?: string | undefined;
  /** `TOUCHLINE_EMAIL_FROM`. */
  emailFrom?: string | undefined;
  /** `TOUCHLINE_UNSUBSCRIBE_MAILTO`. */
  unsubscribeMailto?: string | undefined;
}

/** Every channel into the sandbox, and email by SMTP when it is configured. */
export function createDefaultChannels(config: EmailDeliveryConfig): ChannelRegistry {
  const adapters = [createSandboxAdapter()];
  if (config.smtpUrl) {
    adapters.push(
      createSmtpAdapter({
        url: config.smtpUrl,
        from: config.emailFrom ?? 'Touchline <touchline@localhost>',
        unsubscribeMailto: config.unsubscribeMailto,
      }),
    );
  }
  return createChannelRegistry(adapters);
}
