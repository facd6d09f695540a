import { describe, expect, it } from 'vitest';
import { convertCell, parseCsvTimestamp } from './values.js';

describe('parseCsvTimestamp', () => {
  it('reads ISO-8601 with an offset or Z as the instant it names', () => {
    expect(parseCsvTimestamp('2024-03-01T10:00:00+02:00')?.toISOString()).toBe('2024-03-01T08:00:00.000Z');
    expect(parseCsvTimestamp('2024-03-01T10:00:00-0530')?.toISOString()).toBe('2024-03-01T15:30:00.000Z');
    expect(parseCsvTimestamp('2024-03-01T10:00:00.25Z')?.toISOString()).toBe('2024-03-01T10:00:00.250Z');
  });

  it('reads a time without an offset as UTC, whatever the server zone', () => {
    expect(parseCsvTimestamp('2024-03-01 10:00:00')?.toISOString()).toBe('2024-03-01T10:00:00.000Z');
    expect(parseCsvTimestamp('2024-03-01T10:00')?.toISOString()).toBe('2024-03-01T10:00:00.000Z');
    expect(parseCsvTimestamp(' 2024-03-01 ')?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });

  it('refuses impossible dates and other formats instead of guessing', () => {
    for (const value of ['2023-02-29', '2024-13-01', '2024-03-01 24:00:00', '03/01/2024', 'yesterday', '']) {
      expect(parseCsvTimestamp(value), value).toBeNull();
    }
    expect(parseCsvTimestamp('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });
});

describe('convertCell', () => {
  it('keeps strings exactly as written', () => {
    expect(convertCell(' 007 ', 'string')).toEqual({ ok: true, value: ' 007 ' });
  });

  it('reads numbers, and names the value it could not read', () => {
    expect(convertCell(' 12.50 ', 'number')).toEqual({ ok: true, value: 12.5 });
    expect(convertCell('-3e2', 'number')).toEqual({ ok: true, value: -300 });
    for (const value of ['12,50', '$12', '0x10', 'NaN', 'Infinity', '1e999']) {
      expect(convertCell(value, 'number').ok, value).toBe(false);
    }
    expect(convertCell('abc', 'number')).toEqual({ ok: false, message: 'must be a number; got "abc"' });
  });

  it('reads booleans in the spellings spreadsheets use', () => {
    expect(convertCell('TRUE', 'boolean')).toEqual({ ok: true, value: true });
    expect(convertCell('no', 'boolean')).toEqual({ ok: true, value: false });
    expect(convertCell('0', 'boolean')).toEqual({ ok: true, value: false });
    expect(convertCell('maybe', 'boolean').ok).toBe(false);
  });

  it('stores dates as ISO strings and parses JSON', () => {
    expect(convertCell('2024-03-01 10:00:00', 'date')).toEqual({
      ok: true,
      value: '2024-03-01T10:00:00.000Z',
    });
    expect(convertCell('{"a":[1,2]}', 'json')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(convertCell('{a:1}', 'json').ok).toBe(false);
  });
});
