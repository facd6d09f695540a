/** How a CSV cell is read: a header names its type with a suffix, `revenue:number`. */
export const valueTypes = ['string', 'number', 'boolean', 'date', 'json'] as const;
export type ValueType = (typeof valueTypes)[number];

export function isValueType(value: string): value is ValueType {
  return (valueTypes as readonly string[]).includes(value);
}

export type CellValue = { ok: true; value: unknown } | { ok: false; message: string };

const numberPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const booleans = new Map<string, boolean>([
  ['true', true],
  ['false', false],
  ['yes', true],
  ['no', false],
  ['1', true],
  ['0', false],
]);

/** What a bad cell held, short enough for an error report. */
function shown(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

/**
 * Reads one non-empty cell as its column's type. Strings stay as written; typed values are
 * trimmed first, and a value that does not fit is an error, never a silent string.
 */
export function convertCell(raw: string, type: ValueType): CellValue {
  switch (type) {
    case 'string':
      return { ok: true, value: raw };
    case 'number': {
      const text = raw.trim();
      const value = Number(text);
      return numberPattern.test(text) && Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, message: `must be a number; got ${shown(raw)}` };
    }
    case 'boolean': {
      const value = booleans.get(raw.trim().toLowerCase());
      return value === undefined
        ? { ok: false, message: `must be true or false (or yes/no, 1/0); got ${shown(raw)}` }
        : { ok: true, value };
    }
    case 'date': {
      const date = parseCsvTimestamp(raw);
      return date
        ? { ok: true, value: date.toISOString() }
        : { ok: false, message: `${timestampRule}; got ${shown(raw)}` };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(raw) };
      } catch {
        return { ok: false, message: `must be JSON; got ${shown(raw)}` };
      }
  }
}

export const timestampRule = 'must be an ISO-8601 timestamp or "YYYY-MM-DD HH:MM:SS" (read as UTC)';

const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * `2024-03-01T10:00:00+02:00`, `2024-03-01T10:00:00Z`, `2024-03-01 10:00:00` or `2024-03-01`.
 * Without an offset the time is UTC — not the server's zone, as `new Date()` would read it —
 * so the same file imports the same way everywhere. Impossible dates (Feb 30) are refused.
 */
export function parseCsvTimestamp(raw: string): Date | null {
  const match = timestampPattern.exec(raw.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls Feb 30 over into March; a date that does not round-trip does not exist.
  if (new Date(utc).getUTCDate() !== day) return null;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || '0');
    if (hours > 23 || minutes > 59) return null;
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  return new Date(utc - offsetMinutes * 60_000);
}
