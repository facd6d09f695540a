import { z } from 'zod';

/**
 * Paths in conditions are plain dotted paths into a fact's value: `properties.cart_id`,
 * `items.0.sku`. A numeric segment indexes an array. There is no JSONPath (`$.a.b`): keys that
 * contain a dot cannot be addressed, and in exchange a path is split once and read with a loop.
 */
export const factPathSchema = z
  .string()
  .regex(/^[^.$][^.]*(\.[^.]+)*$/, {
    error: 'path must be a dotted path such as properties.cart_id (no leading "$.", no empty segments)',
  })
  .meta({ examples: ['properties.cart_id', 'traits.plan', 'items.0.sku'] });

const splitCache = new Map<string, readonly string[]>();

// Paths come from compiled journeys, so the set is small and bounded; splitting each once keeps
// the per-event cost to property reads.
function segmentsOf(path: string): readonly string[] {
  let segments = splitCache.get(path);
  if (!segments) {
    segments = path.split('.');
    if (splitCache.size < 10_000) splitCache.set(path, segments);
  }
  return segments;
}

/**
 * Reads a dotted path from a value; `undefined` when any step is missing.
 *
 * @example
 * resolvePath({ properties: { cart_id: 'c1' } }, 'properties.cart_id'); // 'c1'
 * resolvePath({ items: [{ sku: 'A' }] }, 'items.0.sku'); // 'A'
 */
export function resolvePath(value: unknown, path: string): unknown {
  return resolveSegments(value, segmentsOf(path));
}

/** `resolvePath` with the path split beforehand (`path.split('.')`), for code compiled once per path. */
export function resolveSegments(value: unknown, segments: readonly string[]): unknown {
  let current: unknown = value;
  for (let i = 0; i < segments.length; i++) {
    if (current === null || typeof current !== 'object') return undefined;
    const segment = segments[i] as string;
    current = Object.hasOwn(current, segment) ? Reflect.get(current, segment) : undefined;
  }
  return current;
}

/**
 * The value a condition sees for `fact` + `path`, with json-rules-engine's rule: a path applied
 * to a non-object (a number from `eventCount`, a `null` from `lastEvent`) yields the value itself.
 */
export function factValueAtPath(factValue: unknown, path: string | undefined): unknown {
  if (!path) return factValue;
  if (factValue === null || typeof factValue !== 'object') return factValue;
  return resolvePath(factValue, path);
}
