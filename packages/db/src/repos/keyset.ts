import { sql } from 'kysely';

/** Keyset paging shared by the list endpoints: (timestamp, id) positions as opaque cursors. */

/**
 * A keyset position: a timestamp to the microsecond (a JS Date keeps only milliseconds, which
 * would skip or repeat rows) and the row id that breaks ties.
 */
export interface KeysetPosition {
  at: string;
  id: string;
}

const isoMicros = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const isUuid = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
export const isBigint = (id: string) => /^\d{1,19}$/.test(id) && BigInt(id) <= 9_223_372_036_854_775_807n;
// The timestamp as UTC text with all six fractional digits, so the cursor round-trips exactly.
export const microsOf = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** An opaque cursor: clients pass back what they were given. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string, isId: (id: string) => boolean): KeysetPosition | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !isoMicros.test(at) || !isId(id)) return undefined;
  // The pattern lets through a 13th month; PostgreSQL would answer that with an error.
  if (Number.isNaN(Date.parse(`${at.slice(0, 23)}Z`))) return undefined;
  return { at, id };
}

/** A page of rows, newest first, and where the next one starts. */
export interface KeysetPage<T> {
  rows: T[];
  /** Where the next page starts, as an opaque cursor; null on the last page. */
  next: string | null;
}
