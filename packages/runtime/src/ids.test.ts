import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './ids.js';

describe('timeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the time in milliseconds', () => {
    const at = Date.UTC(2026, 11, 1, 12, 0, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('ids made later sort later, and ids made in the same millisecond still differ', () => {
    const early = Array.from({ length: 1_000 }, () => timeOrderedId(1_000));
    const late = timeOrderedId(1_001);
    expect(new Set(early).size).toBe(1_000);
    for (const id of early) expect(id < late).toBe(true);
  });
});
