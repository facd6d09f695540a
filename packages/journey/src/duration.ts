/** Thrown by {@link parseDuration} with a message fit to show a marketer. */
export class DurationError extends Error {
  override readonly name = 'DurationError';
}

const MS = { W: 604_800_000, D: 86_400_000, H: 3_600_000, M: 60_000, S: 1000 } as const;

// Years and months are rejected on purpose: they have no fixed length in milliseconds, and a
// wait of "P1M" silently meaning 30 days would surprise someone.
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/**
 * Parses an ISO-8601 duration into milliseconds. Weeks, days, hours, minutes and seconds are
 * supported (seconds may carry up to three decimals); years and months are not, because their
 * length varies.
 *
 * @example
 * parseDuration('PT1H'); // 3_600_000
 * parseDuration('P1W2D'); // 777_600_000
 * parseDuration('PT90M'); // 5_400_000
 */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    if (/^P(?:\d+Y)|^P[^T]*\d+M/.test(text)) {
      throw new DurationError(
        `"${text}" uses years or months, which have no fixed length; use weeks or days instead (e.g. P30D)`,
      );
    }
    throw new DurationError(`"${text}" is not an ISO-8601 duration; write e.g. PT1H, PT90M, P3D or P1W`);
  }
  const [, weeks, days, hours, minutes, seconds] = match;
  return Math.round(
    Number(weeks ?? 0) * MS.W +
      Number(days ?? 0) * MS.D +
      Number(hours ?? 0) * MS.H +
      Number(minutes ?? 0) * MS.M +
      Number(seconds ?? 0) * MS.S,
  );
}

/**
 * Like {@link parseDuration} but returns `null` instead of throwing.
 *
 * @example
 * tryParseDuration('1 hour'); // null
 */
export function tryParseDuration(text: string): number | null {
  try {
    return parseDuration(text);
  } catch {
    return null;
  }
}
