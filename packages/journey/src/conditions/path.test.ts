import { describe, expect, it } from 'vitest';
import { factPathSchema, factValueAtPath, resolvePath } from './path.js';

describe('resolvePath', () => {
  const event = { event: 'cart_updated', properties: { cart_id: 'c1', items: [{ sku: 'A' }] } };

  it('reads nested properties', () => {
    expect(resolvePath(event, 'properties.cart_id')).toBe('c1');
  });

  it('indexes arrays with numeric segments', () => {
    expect(resolvePath(event, 'properties.items.0.sku')).toBe('A');
  });

  it('returns undefined for a missing step instead of throwing', () => {
    expect(resolvePath(event, 'properties.nope.deeper')).toBeUndefined();
    expect(resolvePath(null, 'a')).toBeUndefined();
  });

  it('does not read inherited properties', () => {
    expect(resolvePath({}, 'constructor')).toBeUndefined();
  });
});

describe('factValueAtPath', () => {
  it('returns a non-object fact value unchanged, as json-rules-engine does', () => {
    expect(factValueAtPath(3, 'count')).toBe(3);
    expect(factValueAtPath(null, 'timestamp')).toBeNull();
  });
});

describe('factPathSchema', () => {
  it('accepts dotted paths', () => {
    expect(factPathSchema.safeParse('properties.cart_id').success).toBe(true);
  });

  it.each(['$.properties.cart_id', 'a..b', '.a', 'a.'])('rejects %j', (path) => {
    expect(factPathSchema.safeParse(path).success).toBe(false);
  });
});
