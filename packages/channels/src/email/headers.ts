/** The domain of a From address (`Shop <news@shop.example>` → `shop.example`). */
export function domainOf(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match?.[1]?.toLowerCase() ?? 'touchline.invalid';
}

/**
 * The Message-ID of an outbox message: made from its idempotency key, so the same message
 * always carries the same id (and a resend after a crash could be recognised downstream).
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const local = idempotencyKey.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/g, '.');
  return `<${local}@${domainOf(from)}>`;
}

/**
 * RFC 2369 `List-Unsubscribe` and RFC 8058 one-click `List-Unsubscribe-Post`: mail clients show
 * an unsubscribe button and POST to the URL. The header is left out when there is nowhere to go.
 */
export function unsubscribeHeaders(
  unsubscribeUrl: string | null,
  mailto: string | undefined,
): Record<string, string> {
  const targets: string[] = [];
  if (mailto) targets.push(`<mailto:${mailto.replace(/^mailto:/, '')}>`);
  if (unsubscribeUrl) targets.push(`<${unsubscribeUrl}>`);
  if (targets.length === 0) return {};
  const headers: Record<string, string> = { 'List-Unsubscribe': targets.join(', ') };
  if (unsubscribeUrl?.startsWith('https://') || unsubscribeUrl?.startsWith('http://')) {
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return headers;
}
