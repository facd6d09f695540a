import type { ChannelAdapter, ChannelName, OutboundMessage } from '../adapter.js';
import { PermanentDeliveryError, RetryableDeliveryError } from '../errors.js';
import { createLiquidEngines, type LiquidEngines } from '../liquid.js';
import { checkHost } from './host-check.js';
import {
  type BodyTemplate,
  bodyScope,
  compileBodyTemplate,
  parseRetryAfter,
  providerMessage,
  valueAt,
} from './http-provider-mapping.js';
import { pinnedFetch } from './pinned-fetch.js';

/** How the provider knows us. */
export type HttpProviderAuth =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'header'; name: string; value: string };

export interface HttpProviderOptions {
  /** The channel it delivers: `sms`, `push` or `whatsapp`. */
  channel: Extract<ChannelName, 'sms' | 'push' | 'whatsapp'>;
  url: string;
  method?: 'POST' | 'PUT' | 'PATCH' | undefined;
  auth?: HttpProviderAuth | undefined;
  /** Further request headers (not secret: they are returned by the settings API). */
  headers?: Readonly<Record<string, string>> | undefined;
  /** The request body ({@link BodyTemplate}); each channel has a default (`sms.ts`, …). */
  body: BodyTemplate;
  /** The header carrying the message's idempotency key; `Idempotency-Key`. */
  idempotencyHeader?: string | undefined;
  /** The provider's id for the message in a 2xx JSON answer: a dot path, `id` by default. */
  providerIdPath?: string | undefined;
  /** Milliseconds before a request is abandoned (retryable); 10 s. */
  timeoutMs?: number | undefined;
  /** Private and loopback addresses allowed: a self-hosted gateway. */
  allowPrivate?: boolean | undefined;
  /** The provider deduplicates by the idempotency key (see `ChannelAdapter.idempotent`). */
  idempotent?: boolean | undefined;
  resolve?: ((host: string) => Promise<string[]>) | undefined;
  engines?: LiquidEngines | undefined;
}

function authHeaders(auth: HttpProviderAuth): Record<string, string> {
  switch (auth.type) {
    case 'none':
      return {};
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'basic':
      return {
        authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      };
    case 'header':
      return { [auth.name.toLowerCase()]: auth.value };
  }
}

/**
 * Delivers SMS, push or WhatsApp through any provider's JSON HTTP API: the rendered message is
 * mapped into the provider's body by a template, sent with the idempotency key as a header, and
 * the answer mapped back — 2xx: sent, with the provider's id; 408, 429, 5xx and network errors:
 * retryable (after `Retry-After` when given); any other status: failed for good, with the
 * provider's message. Redirects are not followed; private addresses are refused unless
 * `allowPrivate`.
 *
 * @example
 * const sms = createHttpProviderAdapter({
 *   channel: 'sms',
 *   url: 'https://sms.example/v1/messages',
 *   auth: { type: 'bearer', token },
 *   body: { to: '{{ to }}', text: '{{ text }}', sender: 'Shop' },
 * });
 */
export function createHttpProviderAdapter(options: HttpProviderOptions): ChannelAdapter {
  const url = new URL(options.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`a provider URL must be http(s), not ${url.protocol}`);
  }
  const label = `${options.channel} provider`;
  const method = options.method ?? 'POST';
  const render = compileBodyTemplate(options.body, options.engines ?? createLiquidEngines());
  const timeoutMs = options.timeoutMs ?? 10_000;
  const idempotencyHeader = (options.idempotencyHeader ?? 'Idempotency-Key').toLowerCase();
  const fixedHeaders: Record<string, string> = {
    'user-agent': 'Touchline',
    'content-type': 'application/json',
    accept: 'application/json',
    ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    ...authHeaders(options.auth ?? { type: 'none' }),
  };
  const where = `${method} ${url.origin}${url.pathname}`;

  return {
    name: `http:${options.channel}`,
    channels: [options.channel],
    idempotent: options.idempotent === true,
    async send(message: OutboundMessage) {
      if (!message.to) throw new PermanentDeliveryError(`the profile has no ${options.channel} address`);
      const addresses = await checkHost(url, {
        allowPrivate: options.allowPrivate,
        resolve: options.resolve,
        label,
        hint: 'set allowPrivate in the channel settings (or TOUCHLINE_WEBHOOK_ALLOW_PRIVATE=true) for a self-hosted gateway',
      });
      const body = JSON.stringify(render(bodyScope(message)));
      let response: Response;
      try {
        // Connects to the addresses just checked: the host is not resolved again (DNS rebinding).
        response = await pinnedFetch(
          url,
          {
            method,
            headers: { ...fixedHeaders, [idempotencyHeader]: message.idempotencyKey },
            body,
            signal: AbortSignal.timeout(timeoutMs),
          },
          addresses,
        );
      } catch (error) {
        const reason = error instanceof Error ? (error.cause ?? error) : error;
        throw new RetryableDeliveryError(
          `${label} ${where} failed: ${reason instanceof Error ? reason.message : String(reason)}`,
          { cause: error },
        );
      }
      const text = await response.text().catch(() => '');
      return mapResponse(response.status, response.headers, text, {
        where: `${label} ${where}`,
        providerIdPath: options.providerIdPath ?? 'id',
        fallbackId: `${options.channel}:${message.idempotencyKey}`,
      });
    },
  };
}

/**
 * A provider's answer as a delivery result: 2xx → the id at `providerIdPath` (the fallback when
 * the answer has none); 408, 425, 429 and 5xx → retryable, honouring `Retry-After`; 3xx and
 * other 4xx → permanent, with the provider's own message.
 */
export function mapResponse(
  status: number,
  headers: Headers,
  text: string,
  context: { where: string; providerIdPath: string; fallbackId: string },
): { providerId: string } {
  if (status >= 200 && status < 300) {
    let id: unknown;
    try {
      id = valueAt(JSON.parse(text), context.providerIdPath);
    } catch {
      id = undefined;
    }
    return {
      providerId: typeof id === 'string' || typeof id === 'number' ? String(id) : context.fallbackId,
    };
  }
  const said = providerMessage(text);
  const answered = `${context.where} answered ${status}${said ? `: ${said}` : ''}`;
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    throw new RetryableDeliveryError(answered, { retryAfterMs: parseRetryAfter(headers.get('retry-after')) });
  }
  if (status >= 300 && status < 400) {
    throw new PermanentDeliveryError(`${answered} (a redirect: redirects are not followed)`);
  }
  throw new PermanentDeliveryError(answered);
}
