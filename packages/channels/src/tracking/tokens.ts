import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed tracking tokens: what an open pixel, a click redirect or an unsubscribe link carries.
 *
 * A token is base64url over bytes, with no JSON:
 *
 *   version (1) · key id (1) · kind (1) · message id (16, the UUID's bytes) · [click: target URL,
 *   UTF-8] · MAC (16)
 *
 * The MAC is HMAC-SHA256, truncated to 128 bits, over everything before it, under a key derived
 * from the secret for this purpose only. The key id (one byte derived from the secret) lets a
 * verifier holding several secrets pick the one that signed, so secrets rotate: sign with the new
 * one, keep verifying with the old one until its links no longer matter. The version byte lets
 * the layout change later (say, to carry the workspace) without breaking links already sent.
 */

export type TrackingKind = 'open' | 'click' | 'unsubscribe';

export type TrackingToken =
  | { kind: 'open'; messageId: string }
  | { kind: 'click'; messageId: string; url: string }
  | { kind: 'unsubscribe'; messageId: string };

/** One secret, or several: the first signs, every one verifies (rotation). */
export type TrackingSecret = string | readonly string[];

const version = 1;
const kindCodes: Record<TrackingKind, number> = { open: 1, click: 2, unsubscribe: 3 };
const kindOf = new Map<number, TrackingKind>(
  Object.entries(kindCodes).map(([kind, code]) => [code, kind as TrackingKind]),
);
const macBytes = 16;
const headerBytes = 3;
const idBytes = 16;
const minBytes = headerBytes + idBytes + macBytes;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const base64urlPattern = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Key {
  id: number;
  mac: Buffer;
}

// Derived once per secret: every sent email signs two or more tokens, and deriving a key is two
// HMACs. Secrets are few (the current one and those kept for rotation), so the map stays small.
const derived = new Map<string, Key>();

function keyOf(secret: string): Key {
  if (secret.length === 0) throw new RangeError('a tracking secret must not be empty');
  let key = derived.get(secret);
  if (!key) {
    const mac = createHmac('sha256', secret).update('touchline tracking token mac').digest();
    const id = createHmac('sha256', secret).update('touchline tracking token key id').digest()[0] as number;
    key = { id, mac };
    if (derived.size >= 64) derived.clear();
    derived.set(secret, key);
  }
  return key;
}

function keysOf(secret: TrackingSecret): Key[] {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new RangeError('no tracking secret given');
  return secrets.map(keyOf);
}

function macOf(key: Key, body: Buffer): Buffer {
  return createHmac('sha256', key.mac).update(body).digest().subarray(0, macBytes);
}

function uuidBytes(messageId: string): Buffer {
  if (!uuidPattern.test(messageId)) throw new RangeError(`message id "${messageId}" is not a UUID`);
  return Buffer.from(messageId.replaceAll('-', ''), 'hex');
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Signs a token with the first secret.
 *
 * @example
 * const token = signTrackingToken(secret, { kind: 'open', messageId: message.id });
 */
export function signTrackingToken(secret: TrackingSecret, token: TrackingToken): string {
  const first = typeof secret === 'string' ? secret : secret[0];
  if (first === undefined) throw new RangeError('no tracking secret given');
  const key = keyOf(first);
  const parts = [Buffer.from([version, key.id, kindCodes[token.kind]]), uuidBytes(token.messageId)];
  if (token.kind === 'click') parts.push(Buffer.from(token.url, 'utf8'));
  const body = Buffer.concat(parts);
  return Buffer.concat([body, macOf(key, body)]).toString('base64url');
}

/**
 * The token's content when one of the secrets signed it and it is of the kind expected;
 * otherwise undefined, whatever was wrong (the caller must not tell a forger which part failed).
 * The MAC is compared in constant time.
 */
export function verifyTrackingToken(
  secret: TrackingSecret,
  token: string,
  kind: TrackingKind,
): TrackingToken | undefined {
  if (token.length > 16_384 || !base64urlPattern.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  // base64url decoding is lenient about trailing bits: accept only the canonical spelling.
  if (bytes.length < minBytes || bytes.toString('base64url') !== token) return undefined;
  const body = bytes.subarray(0, bytes.length - macBytes);
  const mac = bytes.subarray(bytes.length - macBytes);
  let signed = false;
  for (const key of keysOf(secret)) {
    if (key.id === body[1] && timingSafeEqual(macOf(key, body), mac)) signed = true;
  }
  if (!signed || body[0] !== version || kindOf.get(body[2] as number) !== kind) return undefined;
  const messageId = uuidOf(body.subarray(headerBytes, headerBytes + idBytes));
  const rest = body.subarray(headerBytes + idBytes);
  if (kind !== 'click') return rest.length === 0 ? { kind, messageId } : undefined;
  try {
    return { kind, messageId, url: utf8.decode(rest) };
  } catch {
    return undefined;
  }
}
