import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { PermanentDeliveryError, RetryableDeliveryError } from '../errors.js';
import { classifyAddress } from './webhook.js';

export interface HostPolicy {
  /** Private, loopback and link-local addresses are allowed (a self-hosted gateway). */
  allowPrivate?: boolean | undefined;
  /** Host names (or literal addresses) allowed even when they resolve to a private address. */
  allowHosts?: ReadonlySet<string> | undefined;
  /** Resolves a host to every address (tests); `dns.lookup(host, { all: true })`. */
  resolve?: ((host: string) => Promise<string[]>) | undefined;
  /** Who is calling, for the message: `webhook`, `sms provider`. */
  label: string;
  /** How to allow private addresses, appended to the refusal. */
  hint: string;
}

async function resolveAll(host: string): Promise<string[]> {
  const addresses = await lookup(host, { all: true, verbatim: true });
  return addresses.map((entry) => entry.address);
}

/**
 * Refuses a URL whose host resolves to any private, loopback or link-local address (see
 * {@link classifyAddress}) unless the policy allows it: server-side request forgery through a
 * marketer-edited URL or a provider setting is the risk. An unknown host is final; a resolver
 * failure may pass and is retryable. Returns the checked addresses (null when the policy checks
 * none): connect to them with `pinnedFetch(url, init, addresses)` so that the host is not
 * resolved again (DNS rebinding).
 */
export async function checkHost(url: URL, policy: HostPolicy): Promise<string[] | null> {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.allowPrivate || policy.allowHosts?.has(host)) return null;
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (policy.resolve ?? resolveAll)(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = `${policy.label} host ${host} did not resolve: ${code ?? (error as Error).message}`;
    if (code === 'ENOTFOUND' || code === 'ENODATA') throw new PermanentDeliveryError(reason);
    throw new RetryableDeliveryError(reason);
  }
  if (addresses.length === 0) throw new PermanentDeliveryError(`${policy.label} host ${host} has no address`);
  for (const address of addresses) {
    const reason = classifyAddress(address);
    if (reason) {
      throw new PermanentDeliveryError(
        `${policy.label} host ${host} refused: ${address} is ${reason}; ${policy.hint}`,
      );
    }
  }
  return addresses;
}
