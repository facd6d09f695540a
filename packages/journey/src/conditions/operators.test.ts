import { describe, expect, it } from 'vitest';
import { conditionOperators as op } from './operators.js';

const now = Date.parse('2025-06-01T12:00:00Z');

describe('condition operators', () => {
  it('contains works on strings and arrays', () => {
    expect(op.contains('hello world', 'lo w', now)).toBe(true);
    expect(op.contains(['vip', 'beta'], 'vip', now)).toBe(true);
    expect(op.contains(undefined, 'x', now)).toBe(false);
    expect(op.doesNotContain(['a'], 'b', now)).toBe(true);
    expect(op.doesNotContain(undefined, 'b', now)).toBe(false);
  });

  it('startsWith needs two strings', () => {
    expect(op.startsWith('SUMMER25', 'SUMMER', now)).toBe(true);
    expect(op.startsWith(25, '2', now)).toBe(false);
  });

  it('withinLast accepts dates in the window before now only', () => {
    expect(op.withinLast('2025-05-31T12:00:00Z', 'P2D', now)).toBe(true);
    expect(op.withinLast('2025-05-20T12:00:00Z', 'P2D', now)).toBe(false);
    expect(op.withinLast('2025-06-02T12:00:00Z', 'P2D', now)).toBe(false);
    expect(op.withinLast(now - 1000, 'PT1S', now)).toBe(true);
    expect(op.withinLast('not a date', 'P2D', now)).toBe(false);
    expect(op.withinLast('2025-05-31T12:00:00Z', 'two days', now)).toBe(false);
  });

  it('before and after compare dates given as ISO strings or epoch ms', () => {
    expect(op.before('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z', now)).toBe(true);
    expect(op.after(now, '2025-01-01T00:00:00Z', now)).toBe(true);
    expect(op.after(undefined, '2025-01-01T00:00:00Z', now)).toBe(false);
  });

  it('exists tests presence, or absence with false', () => {
    expect(op.exists('x', true, now)).toBe(true);
    expect(op.exists(null, true, now)).toBe(false);
    expect(op.exists(undefined, false, now)).toBe(true);
  });

  it('numeric comparisons do not coerce strings', () => {
    expect(op.greaterThan('10', 5, now)).toBe(false);
    expect(op.greaterThan(10, 5, now)).toBe(true);
    expect(op.lessThanInclusive(5, 5, now)).toBe(true);
  });

  it('in and notIn need an array of candidates', () => {
    expect(op.in('gold', ['gold', 'platinum'], now)).toBe(true);
    expect(op.notIn('gold', 'gold', now)).toBe(false);
  });
});
