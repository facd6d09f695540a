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
