import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';

export interface PinnedRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** A `lookup` for node:net that answers with the given addresses and never asks DNS. */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const [first] = entries;
    if (!first) callback(Object.assign(new Error('no address to connect to'), { code: 'ENOTFOUND' }));
    else if (options?.all) callback(null, entries);
    else callback(null, first.address, first.family);
  }) as LookupFunction;
}

/**
 * `fetch` for calls to marketer- or settings-supplied URLs, over node:http(s): when `addresses`
 * is given (the host's addresses as resolved once and checked, see `checkHost`), the connection
 * goes to one of them and the host is never resolved again, so a DNS answer that changes between
 * the check and the connection (DNS rebinding) cannot reach a private address. TLS still verifies
 * the certificate against the URL's host name. Redirects are never followed; a new connection
 * per request (no pool shared with requests checked under another policy).
 */
export function pinnedFetch(
  url: URL,
  init: PinnedRequestInit,
  addresses: readonly string[] | null,
): Promise<Response> {
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  return new Promise<Response>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: init.method,
        headers,
        agent: false,
        ...(init.signal ? { signal: init.signal } : {}),
        ...(addresses && !isIP(url.hostname.replace(/^\[|\]$/g, ''))
          ? { lookup: pinnedLookup(addresses) }
          : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const answered = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (Array.isArray(value)) for (const item of value) answered.append(name, item);
          else if (value !== undefined) answered.set(name, value);
        }
        const empty = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
        if (empty) response.resume();
        try {
          resolve(
            new Response(empty ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>), {
              status,
              statusText: response.statusMessage ?? '',
              headers: answered,
            }),
          );
        } catch (error) {
          response.destroy();
          reject(error);
        }
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}
