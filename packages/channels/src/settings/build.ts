import type { ChannelAdapter, ChannelName } from '../adapter.js';
import { createInAppAdapter } from '../adapters/inapp.js';
import { createPushAdapter } from '../adapters/push.js';
import { createSandboxAdapter } from '../adapters/sandbox.js';
import { createSmsAdapter } from '../adapters/sms.js';
import { createSmtpAdapter } from '../adapters/smtp.js';
import { createWebhookAdapter } from '../adapters/webhook.js';
import { createWhatsappAdapter } from '../adapters/whatsapp.js';
import type { LiquidEngines } from '../liquid.js';
import type { ChannelSettings } from './schema.js';

/** What the installation adds to a workspace's settings when building its adapter. */
export interface AdapterEnvironment {
  /** `TOUCHLINE_WEBHOOK_ALLOW_PRIVATE=true`: every adapter may call private addresses. */
  allowPrivate?: boolean | undefined;
  /** Signs webhooks whose settings name no signing secret (the tracking secret). */
  webhookSigningSecret?: string | undefined;
  engines?: LiquidEngines | undefined;
  resolve?: ((host: string) => Promise<string[]>) | undefined;
}

function smtpUrl(settings: Extract<ChannelSettings, { adapter: 'smtp' }>): string {
  const user = settings.username
    ? `${encodeURIComponent(settings.username)}${settings.password ? `:${encodeURIComponent(settings.password)}` : ''}@`
    : '';
  return `${settings.secure ? 'smtps' : 'smtp'}://${user}${settings.host}:${settings.port}`;
}

/**
 * The adapter a channel's settings describe (credentials decrypted). Throws when the settings
 * cannot work (a webhook with no signing secret at all, an adapter the channel does not take).
 */
export function adapterFromSettings(
  channel: ChannelName,
  settings: ChannelSettings,
  env: AdapterEnvironment = {},
): ChannelAdapter {
  switch (settings.adapter) {
    case 'sandbox':
      return createSandboxAdapter([channel]);
    case 'inapp':
      return createInAppAdapter();
    case 'smtp':
      return createSmtpAdapter({
        url: smtpUrl(settings),
        from: settings.from,
        unsubscribeMailto: settings.unsubscribeMailto,
      });
    case 'webhook': {
      const signingSecret = settings.signingSecret ?? env.webhookSigningSecret;
      if (!signingSecret) throw new Error('webhook settings name no signing secret');
      return createWebhookAdapter({
        signingSecret,
        allowPrivate: settings.allowPrivate || env.allowPrivate === true,
        resolve: env.resolve,
      });
    }
    case 'http': {
      const options = {
        url: settings.url,
        method: settings.method,
        auth:
          settings.auth.type === 'bearer'
            ? { type: 'bearer' as const, token: settings.auth.token ?? '' }
            : settings.auth.type === 'basic'
              ? {
                  type: 'basic' as const,
                  username: settings.auth.username,
                  password: settings.auth.password ?? '',
                }
              : settings.auth.type === 'header'
                ? { type: 'header' as const, name: settings.auth.name, value: settings.auth.value ?? '' }
                : { type: 'none' as const },
        headers: settings.headers,
        body: settings.body,
        idempotencyHeader: settings.idempotencyHeader,
        providerIdPath: settings.providerIdPath,
        timeoutMs: settings.timeoutMs,
        allowPrivate: settings.allowPrivate || env.allowPrivate === true,
        idempotent: settings.idempotent,
        engines: env.engines,
        resolve: env.resolve,
      };
      if (channel === 'sms') return createSmsAdapter(options);
      if (channel === 'push') return createPushAdapter(options);
      if (channel === 'whatsapp') return createWhatsappAdapter(options);
      throw new Error(`the ${channel} channel has no HTTP provider adapter`);
    }
  }
}
