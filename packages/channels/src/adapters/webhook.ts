import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Liquid } from 'liquidjs';
import type { ChannelAdapter, OutboundMessage } from '../adapter.js';
import { PermanentDeliveryError, RetryableDeliveryError } from '../errors.js';
import { createUrlLiquidEngine, type LiquidEngines, parseLiquid, renderLiquid } from '../liquid.js';
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

const v4Blocked: ReadonlyArray<[string, number, string]> = [
  ['0.0.0.0', 8, 'a "this network" address (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'a private address (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'a loopback address (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'a link-local address (169.254.0.0/16, cloud metadata)'],
  ['172.16.0.0', 12, 'a private address (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'an IETF protocol address (192.0.0.0/24)'],
  ['192.168.0.0', 16, 'a private address (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'a benchmarking address (198.18.0.0/15)'],
  ['224.0.0.0', 4, 'a multicast address (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'a reserved address (240.0.0.0/4)'],
];

function v4ToInt(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function classifyV4(address: string): string | null {
  const value = v4ToInt(address);
  for (const [base, bits, reason] of v4Blocked) {
    const size = 2 ** (32 - bits);
    const start = v4ToInt(base);
    if (value >= start && value < start + size) return reason;
  }
  return null;
}

/** An IPv6 address as its eight 16-bit groups (embedded IPv4 expanded), or null. */
function v6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (isIP(tail) !== 4) return null;
    const n = v4ToInt(tail);
    text = `${text.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/**
 * Why a webhook may not call this address (loopback, private, link-local, CGNAT, unique-local,
 * multicast, reserved), or null for a public one. IPv4-mapped (`::ffff:a.b.c.d`) and NAT64
 * (`64:ff9b::a.b.c.d`) addresses are judged by their IPv4 address. Anything that is not an IP
 * address is refused.
 */
export function classifyAddress(address: string): string | null {
  const family = isIP(address.replace(/^\[|\]$/g, '').split('%')[0] ?? '');
  const bare = address.replace(/^\[|\]$/g, '');
  if (family === 4) return classifyV4(bare);
  if (family !== 6) return 'not an IP address';
  const g = v6Groups(bare);
  if (!g) return 'not an IP address';
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = `${g6 >>> 8}.${g6 & 0xff}.${g7 >>> 8}.${g7 & 0xff}`;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    if (g5 === 0xffff) return classifyV4(embedded);
    if (g5 === 0 && g6 === 0 && g7 === 1) return 'the loopback address (::1)';
    if (g5 === 0 && g6 === 0 && g7 === 0) return 'the unspecified address (::)';
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return classifyV4(embedded);
  }
  if ((g0 & 0xfe00) === 0xfc00) return 'a unique-local address (fc00::/7)';
  if ((g0 & 0xffc0) === 0xfe80) return 'a link-local address (fe80::/10)';
  if ((g0 & 0xff00) === 0xff00) return 'a multicast address (ff00::/8)';
  return null;
}

async function resolveAll(host: string): Promise<string[]> {
  const addresses = await lookup(host, { all: true, verbatim: true });
  return addresses.map((entry) => entry.address);
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
  const resolve = options.resolve ?? resolveAll;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const allowHosts = new Set((options.allowHosts ?? []).map((host) => host.toLowerCase()));

  /** The host's addresses, all checked, to connect to; null when the policy checks none. */
  async function checkHost(url: URL): Promise<string[] | null> {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (options.allowPrivate || allowHosts.has(host)) return null;
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await resolve(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = `webhook host ${host} did not resolve: ${code ?? (error as Error).message}`;
      // No such host is final; a resolver failure (EAI_AGAIN, timeouts) may pass.
      if (code === 'ENOTFOUND' || code === 'ENODATA') throw new PermanentDeliveryError(reason);
      throw new RetryableDeliveryError(reason);
    }
    if (addresses.length === 0) throw new PermanentDeliveryError(`webhook host ${host} has no address`);
    for (const address of addresses) {
      const reason = classifyAddress(address);
      if (reason) {
        throw new PermanentDeliveryError(
          `webhook host ${host} refused: ${address} is ${reason}; set TOUCHLINE_WEBHOOK_ALLOW_PRIVATE=true to allow private addresses`,
        );
      }
    }
    return addresses;
  }

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
      const addresses = await checkHost(url);

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
