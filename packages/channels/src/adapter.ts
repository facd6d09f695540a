import type { RenderedEmail } from './email/render.js';

export type ChannelName = 'email' | 'sms' | 'push' | 'whatsapp' | 'inapp' | 'webhook';

/** One rendered message handed to an adapter. */
export interface OutboundMessage {
  workspaceId: string;
  messageId: string;
  /** The outbox row's key: the provider's idempotency key, and the email's Message-ID. */
  idempotencyKey: string;
  channel: ChannelName;
  /** The address on the channel: an email address, a phone number, a device token. */
  to: string | null;
  /** Email only. */
  email?: (RenderedEmail & { unsubscribeUrl: string | null }) | undefined;
  /** Other channels: the template's content as rendered (or as stored, until they render). */
  body?: Record<string, unknown> | undefined;
}

export interface DeliveryResult {
  /** The provider's id for the message (SMTP: the Message-ID), kept on the outbox row. */
  providerId: string;
  /** A webhook's JSON answer, read when its node saves it (`saveResponseAs`). */
  response?: unknown;
  /** Why a webhook's answer was not saved (not JSON, too large). */
  responseSkipped?: string;
}

/**
 * Delivers messages of some channels. `send` resolves once the provider has accepted the
 * message, or throws {@link RetryableDeliveryError} (try again later) or
 * {@link PermanentDeliveryError} (never); anything else thrown counts as retryable.
 *
 * @example
 * const slack: ChannelAdapter = {
 *   name: 'slack-webhook',
 *   channels: ['webhook'],
 *   async send(message) {
 *     const response = await fetch(url, { method: 'POST', body: JSON.stringify(message.body) });
 *     if (response.status >= 500) throw new RetryableDeliveryError(`slack answered ${response.status}`);
 *     if (!response.ok) throw new PermanentDeliveryError(`slack answered ${response.status}`);
 *     return { providerId: message.idempotencyKey };
 *   },
 * };
 */
export interface ChannelAdapter {
  readonly name: string;
  readonly channels: readonly ChannelName[];
  /** The outbox keeps the rendered message in full (the sandbox: it is the only copy). */
  readonly keepsContent?: boolean;
  /**
   * Sending the same message again (same idempotency key) delivers nothing more: the sandbox, or
   * a provider that deduplicates by key. Delivery then resends a message a crash left `sending`
   * (exactly once); for any other adapter it does not (at most once).
   */
  readonly idempotent?: boolean;
  send(message: OutboundMessage): Promise<DeliveryResult>;
  close?(): Promise<void>;
}

export interface ChannelRegistry {
  readonly adapters: readonly ChannelAdapter[];
  /** The adapter that delivers a channel: the last one listed for it. */
  forChannel(channel: ChannelName): ChannelAdapter | undefined;
  close(): Promise<void>;
}

/**
 * The adapters a worker delivers with, as a value (like the node-type registry): later adapters
 * take a channel over from earlier ones, so `[sandbox, smtp]` delivers email by SMTP and
 * everything else into the sandbox.
 *
 * @example
 * const channels = createChannelRegistry([createSandboxAdapter(), createSmtpAdapter({ url, from })]);
 */
export function createChannelRegistry(adapters: readonly ChannelAdapter[]): ChannelRegistry {
  const byChannel = new Map<ChannelName, ChannelAdapter>();
  for (const adapter of adapters) for (const channel of adapter.channels) byChannel.set(channel, adapter);
  const list = Object.freeze([...adapters]);
  return {
    adapters: list,
    forChannel: (channel) => byChannel.get(channel),
    async close() {
      await Promise.all(list.map((adapter) => adapter.close?.()));
    },
  };
}
