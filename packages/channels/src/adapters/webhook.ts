import { createHmac } from 'node:crypto';
import type { Liquid } from 'liquidjs';
import type { ChannelAdapter, OutboundMessage } from '../adapter.js';
import { PermanentDeliveryError, RetryableDeliveryError } from '../errors.js';
import { createUrlLiquidEngine, type LiquidEngines, parseLiquid, renderLiquid } from '../liquid.js';
import { checkHost, type HostPolicy } from './host-check.js';
import { pinnedFetch } from './pinned-fetch.js';

export type WebhookMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A `send.webhook` node's request, rendered for one message: `OutboundMessage.body` of a webhook. */
export interface WebhookRequest {
  url: string;
  method: WebhookMethod;
  /** The body as sent, or undefined for none. */
  body?: string | undefined;
  contentType?: string | undefined;
  /** The node saves the answer (`saveResponseAs`): the adapter reads and returns its JSON. */
  captureResponse?: boolean | undefined;
}

/** The most of a webhook's answer that is read and saved for `saveResponseAs`. */
export const maxWebhookResponseBytes = 64 * 1024;

export interface WebhookAdapterOptions {
  /** Signs every request: `X-Touchline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
  signingSecret: string;
  /** Lets requests reach private, loopback and link-local addresses (`TOUCHLINE_WEBHOOK_ALLOW_PRIVATE`). */
  allowPrivate?: boolean | undefined;
  /** Host names (or literal addresses) allowed even when they resolve to a private address. */
  allowHosts?: readonly string[] | undefined;
  /** Milliseconds before a request is abandoned (retryable); 10 s. */
  timeoutMs?: number | undefined;
  /** Resolves a host to every address (tests); `dns.lookup(host, { all: true })`. */
  resolve?: ((host: string) => Promise<string[]>) | undefined;
}

const urlEngines = new WeakMap<LiquidEngines, Liquid>();

/** The URL-encoding engine beside a set of engines, with the same limits (made once per set). */
function urlEngineOf(engines: LiquidEngines): Liquid {
  let engine = urlEngines.get(engines);
  if (!engine) {
    const { parseLimit, memoryLimit, renderLimit } = engines.text.options;
    engine = createUrlLiquidEngine({ parseLimit, memoryLimit, renderLimit });
    urlEngines.set(engines, engine);
  }
  return engine;
}

/**
 * Renders a `send.webhook` node's config (`{ url, method, body?, saveResponseAs? }`) for one
 * message: the URL and the body are Liquid (sandboxed as templates are); what the URL's `{{ }}`
 * print is URL-encoded (`| raw` opts out), the body's is not.
 */
export function renderWebhookRequest(
  node: Record<string, unknown>,
  scope: Record<string, unknown>,
  engines: LiquidEngines,
): WebhookRequest {
  const source = node.url;
  if (typeof source !== 'string' || source === '') {
    throw new PermanentDeliveryError('the webhook names no url');
  }
  const urlEngine = urlEngineOf(engines);
  const url = source.includes('{')
    ? renderLiquid(urlEngine, 'url', parseLiquid(urlEngine, 'url', source), scope)
    : source;
  const method = (typeof node.method === 'string' ? node.method.toUpperCase() : 'POST') as WebhookMethod;
  const captureResponse = typeof node.saveResponseAs === 'string' && node.saveResponseAs !== '';
  const render = (field: string, text: string): string =>
    renderLiquid(engines.text, field, parseLiquid(engines.text, field, text), scope);
  const renderDeep = (value: unknown, field: string): unknown => {
    if (typeof value === 'string') return render(field, value);
    if (Array.isArray(value)) return value.map((item, index) => renderDeep(item, `${field}.${index}`));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, renderDeep(item, `${field}.${key}`)]),
      );
    }
    return value;
  };
  const base = { url, method, ...(captureResponse ? { captureResponse } : {}) };
  if (node.body === undefined || node.body === null) return base;
  if (typeof node.body === 'string') {
    const body = render('body', node.body);
    return {
      ...base,
      body,
      contentType: isJson(body) ? 'application/json' : 'text/plain; charset=utf-8',
    };
  }
  return {
    ...base,
    body: JSON.stringify(renderDeep(node.body, 'body')),
    contentType: 'application/json',
  };
}

/**
 * A 2xx answer's JSON for `saveResponseAs`: read up to {@link maxWebhookResponseBytes} and
 * parsed only when the answer says it is JSON. Anything else saves nothing, and says why.
 */
async function readResponseJson(response: Response): Promise<{ json: unknown } | { skipped: string }> {
  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    await response.body?.cancel().catch(() => undefined);
    return { skipped: `the answer is ${type || 'untyped'}, not JSON` };
  }
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxWebhookResponseBytes) {
        await reader.cancel().catch(() => undefined);
        return { skipped: `the answer is over ${maxWebhookResponseBytes} bytes` };
      }
      chunks.push(value);
    }
  }
  try {
    return { json: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { skipped: 'the answer is not valid JSON' };
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function signature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * Calls a `send.webhook` node's endpoint: the rendered request ({@link renderWebhookRequest}) in
 * `message.body`, signed (`X-Touchline-Signature`), keyed (`X-Touchline-Idempotency-Key`).
 *
 * Secure by default: only http(s), redirects are not followed, and a host that resolves to any
 * private address is refused unless `allowPrivate` or `allowHosts` says so. The host is resolved
 * once; every address is checked, and the connection goes to a checked address
 * ({@link pinnedFetch}), so a DNS server that answers differently a moment later (DNS rebinding,
 * with a TTL of 0) cannot reach a private address.
 */
export function createWebhookAdapter(options: WebhookAdapterOptions): ChannelAdapter {
  if (!options.signingSecret) throw new Error('a webhook adapter needs a signing secret');
  const policy: HostPolicy = {
    allowPrivate: options.allowPrivate,
    allowHosts: new Set((options.allowHosts ?? []).map((host) => host.toLowerCase())),
    resolve: options.resolve,
    label: 'webhook',
    hint: 'set TOUCHLINE_WEBHOOK_ALLOW_PRIVATE=true to allow private addresses',
  };
  const timeoutMs = options.timeoutMs ?? 10_000;

  return {
    name: 'webhook',
    channels: ['webhook'],
    async send(message: OutboundMessage) {
      const request = message.body as unknown as WebhookRequest | undefined;
      if (!request || typeof request.url !== 'string') {
        throw new PermanentDeliveryError('the webhook message has no request');
      }
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        throw new PermanentDeliveryError(`webhook url is not a URL: ${request.url}`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new PermanentDeliveryError(`webhook url must be http(s), not ${url.protocol}`);
      }
      const addresses = await checkHost(url, policy);

      const method = request.method ?? 'POST';
      const body = method === 'GET' ? undefined : request.body;
      const timestamp = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {
        'user-agent': 'Touchline',
        'x-touchline-idempotency-key': message.idempotencyKey,
        'x-touchline-signature': `t=${timestamp},v1=${signature(options.signingSecret, timestamp, body ?? '')}`,
      };
      if (body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';

      let response: Response;
      try {
        response = await pinnedFetch(
          url,
          { method, headers, body, signal: AbortSignal.timeout(timeoutMs) },
          addresses,
        );
      } catch (error) {
        const reason = error instanceof Error ? (error.cause ?? error) : error;
        throw new RetryableDeliveryError(
          `webhook ${method} ${url.origin}${url.pathname} failed: ${reason instanceof Error ? reason.message : String(reason)}`,
          { cause: error },
        );
      }
      const status = response.status;
      if (status >= 200 && status < 300 && request.captureResponse) {
        const answer = await readResponseJson(response).catch((error: unknown) => ({
          skipped: `the answer could not be read: ${error instanceof Error ? error.message : String(error)}`,
        }));
        return 'json' in answer
          ? { providerId: `webhook:${status}`, response: answer.json }
          : { providerId: `webhook:${status}`, responseSkipped: answer.skipped };
      }
      // The body is not kept; reading it frees the connection.
      await response.arrayBuffer().catch(() => undefined);
      if (status >= 200 && status < 300) return { providerId: `webhook:${status}` };
      const answered = `webhook ${method} ${url.origin}${url.pathname} answered ${status}`;
      if (status === 408 || status === 429 || status >= 500) throw new RetryableDeliveryError(answered);
      if (status >= 300 && status < 400) {
        throw new PermanentDeliveryError(`${answered} (a redirect: redirects are not followed)`);
      }
      throw new PermanentDeliveryError(answered);
    },
  };
}
