/**
 * Where outgoing HTTP may go: webhooks and HTTP providers refuse private, loopback and link-local
 * addresses unless allowed, and connect only to the addresses they checked.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { PermanentDeliveryError, RetryableDeliveryError } from '../errors.js';

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
