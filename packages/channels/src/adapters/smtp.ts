import nodemailer from 'nodemailer';
import type { ChannelAdapter, OutboundMessage } from '../adapter.js';
import { messageIdFor, unsubscribeHeaders } from '../email/headers.js';
import { PermanentDeliveryError, RetryableDeliveryError } from '../errors.js';

export interface SmtpAdapterOptions {
  /** `smtp://user:pass@host:port` (or `smtps://` for TLS from the start). */
  url: string;
  /** The From address: `Shop <news@shop.example>`. */
  from: string;
  /** An address that unsubscribes by mail, added to `List-Unsubscribe`. */
  unsubscribeMailto?: string | undefined;
  /** Connections kept open to the server (default 5). */
  maxConnections?: number | undefined;
  /** Messages sent over one connection before it is replaced (default 100). */
  maxMessages?: number | undefined;
}

interface SmtpFailure {
  code?: string | undefined;
  responseCode?: number | undefined;
  permanent?: boolean | undefined;
  message?: string | undefined;
}

/** A 5xx reply to the message or its recipient is final; connection trouble, 4xx and the rest are not. */
function classify(error: unknown): Error {
  const failure = (error ?? {}) as SmtpFailure;
  const message = `SMTP: ${failure.message ?? String(error)}`;
  const permanent =
    failure.permanent ??
    (failure.responseCode !== undefined && failure.responseCode >= 500 && failure.responseCode !== 503);
  return permanent ? new PermanentDeliveryError(message) : new RetryableDeliveryError(message);
}

/**
 * Email over SMTP with nodemailer, through a pool of open connections (`pool: true`), so a burst
 * of messages does not pay a TCP and TLS handshake each.
 */
export function createSmtpAdapter(options: SmtpAdapterOptions): ChannelAdapter {
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: options.maxMessages ?? 100,
  });
  return {
    name: 'smtp',
    channels: ['email'],
    async send(message: OutboundMessage) {
      const email = message.email;
      if (!email) throw new PermanentDeliveryError('an email message was not rendered');
      if (!message.to) throw new PermanentDeliveryError('the profile has no email address');
      const messageId = messageIdFor(message.idempotencyKey, options.from);
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
          messageId,
          headers: {
            ...unsubscribeHeaders(email.unsubscribeUrl, options.unsubscribeMailto),
            'X-Touchline-Idempotency-Key': message.idempotencyKey,
          },
        });
        return { providerId: info.messageId ?? messageId };
      } catch (error) {
        throw classify(error);
      }
    },
    async close() {
      transport.close();
    },
  };
}
