/**
 * Copies JSON-like data with object keys in sorted order, so equal data serialises to equal
 * bytes whatever order its keys were written in. Arrays keep their order: it is meaningful.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child: unknown = Reflect.get(value, key);
    if (child !== undefined) sorted[key] = sortKeysDeep(child);
  }
  return sorted;
}

/**
 * `JSON.stringify` with object keys sorted at every level: the storage form of a compiled
 * journey, byte-identical for equal content.
 *
 * @example
 * canonicalJson({ b: 1, a: { d: 2, c: 3 } }); // '{"a":{"c":3,"d":2},"b":1}'
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeysDeep(value), null, indent);
}
